/**
 * Does a page really follow the colour scheme? axe passes a page that ignores dark mode (its light
 * colours still contrast), so the specs also read the colours a person sees and check that the dark
 * page is dark: a background near black and text near white. Used by the SPA shell's and the
 * extension pages' specs.
 */
import { expect, type Page } from "@playwright/test";

/** Relative luminance (0 black … 1 white) of a computed `rgb()`/`rgba()` colour. */
function luminance(colour: string): number {
  const [r, g, b] = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

/**
 * The body's text colour and the background behind it: the first painted background from <body> up
 * (the extension pages paint :root, the SPA shell paints <body>). A transparent body read on its own
 * would count as black, so a light page would pass as dark.
 */
function pageColours(page: Page): Promise<{ background: string; text: string }> {
  return page.locator("body").evaluate((body) => {
    const transparent = (c: string) => c === "transparent" || /^rgba\(.*,\s*0\)$/.test(c);
    let background = "rgb(255, 255, 255)"; // Nothing painted: assume the default white canvas, so a dark check fails.
    for (let el: Element | null = body; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (!transparent(c)) {
        background = c;
        break;
      }
    }
    return { background, text: getComputedStyle(body).color };
  });
}

/**
 * Switches the page to `scheme` (prefers-color-scheme) and asserts it took: light → a light
 * background; dark → a background below 0.05 and text above 0.7. The page stays in `scheme`.
 */
export async function expectColourScheme(page: Page, scheme: "light" | "dark", state: string): Promise<{ background: string; text: string }> {
  await page.emulateMedia({ colorScheme: scheme });
  const colours = await pageColours(page);
  if (scheme === "light") {
    expect(luminance(colours.background), `light background in ${state} (${colours.background})`).toBeGreaterThan(0.8);
  } else {
    expect(luminance(colours.background), `dark background in ${state} (${colours.background})`).toBeLessThan(0.05);
    expect(luminance(colours.text), `dark-mode text in ${state} (${colours.text})`).toBeGreaterThan(0.7);
  }
  return colours;
}
