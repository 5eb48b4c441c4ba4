/**
 * What "the popup fits" means, measured in the page. Chrome sizes a toolbar popup to its document, up
 * to 800 × 600 px. So, whatever it shows: the popup asks for at most 400 px of width even when offered
 * 800; at 400 × 600 the document itself never scrolls — when the content is taller, the body is the
 * one scrolling region (the event log is the only other, on purpose); nothing sticks out sideways;
 * every control can be scrolled to and clicked without scrolling sideways, its label never broken
 * inside a word; and a value cut short (ellipsis) carries its whole text as the title, while other
 * long values wrap.
 */
import type { Page } from "@playwright/test";

export const POPUP_MAX = { width: 400, height: 600 };

export interface PopupLayout {
  /** The body's width when the popup is offered Chrome's widest popup (800 px). */
  widthWhenOffered800: number;
  /** At 400 × 600: how far the document itself would scroll (must be the viewport: 400 × 600). */
  documentScroll: { width: number; height: number };
  /** At 400 × 600: the body's scrollable content and its box, and whether it scrolls vertically. */
  body: { scrollWidth: number; clientWidth: number; scrollHeight: number; clientHeight: number; overflowY: string };
}

export async function measurePopup(page: Page): Promise<PopupLayout> {
  await page.setViewportSize({ width: 800, height: POPUP_MAX.height });
  const widthWhenOffered800 = await page.evaluate(() => document.body.getBoundingClientRect().width);
  await page.setViewportSize(POPUP_MAX);
  return {
    widthWhenOffered800,
    ...(await page.evaluate(() => {
      const { body, documentElement: root } = document;
      return {
        documentScroll: { width: root.scrollWidth, height: root.scrollHeight },
        body: {
          scrollWidth: body.scrollWidth,
          clientWidth: body.clientWidth,
          scrollHeight: body.scrollHeight,
          clientHeight: body.clientHeight,
          overflowY: getComputedStyle(body).overflowY,
        },
      };
    })),
  };
}

/**
 * Every button and disclosure that cannot be used at 400 × 600: scrolled into view vertically, it
 * must lie inside the popup, need no sideways scrolling, and be what a click at its centre hits.
 * Returns a description of each failing control; also the number checked, so a test can tell an
 * empty list from an empty popup.
 */
export async function unreachableControls(page: Page): Promise<{ checked: number; failing: string[] }> {
  return page.evaluate(() => {
    const controls = [...document.querySelectorAll<HTMLElement>("button, summary")];
    const failing: string[] = [];
    for (const control of controls) {
      control.scrollIntoView({ block: "center", inline: "nearest" });
      const r = control.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      const sideways = document.body.scrollLeft !== 0 || document.documentElement.scrollLeft !== 0;
      const inside = r.width > 0 && r.left >= 0 && r.right <= document.body.clientWidth && r.top >= 0 && r.bottom <= innerHeight;
      if (!inside || sideways || !(hit && (hit === control || control.contains(hit)))) {
        failing.push(`${control.dataset.testid ?? control.textContent?.trim()} at ${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
      document.body.scrollLeft = 0;
    }
    return { checked: controls.length, failing };
  });
}

/**
 * Buttons whose label is broken inside a word ("Rem / ove", or one letter per line when a long value
 * beside it squeezes the button): more lines than words. Returns the label and its line count.
 */
export async function buttonsBrokenMidWord(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("button")].flatMap((button) => {
      const label = (button.textContent ?? "").trim();
      if (!label || button.getClientRects().length === 0) return [];
      const range = document.createRange();
      range.selectNodeContents(button);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
      return lines > label.split(/\s+/).length ? [`${label} (${lines} lines)`] : [];
    }),
  );
}

/** Elements whose text is cut short (overflow hidden, wider content) without the whole text as their title. */
export async function cutWithoutTitle(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("main *")]
      .filter((el) => getComputedStyle(el).overflowX === "hidden" && el.scrollWidth > el.clientWidth + 1)
      .filter((el) => !el.title || !(el.textContent ?? "").includes(el.title))
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? "").slice(0, 60)}`),
  );
}
