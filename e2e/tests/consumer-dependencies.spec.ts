/**
 * Dependencies by use (issue 19): a project that installs `resilient-token-broker` for one browser entry
 * gets none of the packages only the identity emulator or the Playwright kit need — they belong to
 * `resilient-token-broker-testkit`. The oracle is npm's own view of the installed tree
 * (`npm ls --omit=dev --all`), in a fresh project per entry, with what such an app would have besides.
 */
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createConsumerProject, sameVersionAs } from "../support/consumer-project.js";

/** What the testkit package depends on (its dependencies and peers): none may reach a page's install. */
const kit = JSON.parse(readFileSync(resolve(import.meta.dirname, "../kit/package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};
const TESTKIT_ONLY = [...Object.keys(kit.dependencies), ...Object.keys(kit.peerDependencies), "playwright", "playwright-core"];

interface LsNode {
  dependencies?: Record<string, LsNode>;
}
/** Every package name in an `npm ls --json` tree. */
function namesIn(tree: LsNode): Set<string> {
  const names = new Set<string>();
  const walk = (node: LsNode) => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      names.add(name);
      walk(child);
    }
  };
  walk(tree);
  return names;
}

const CONSUMERS = {
  shell: { dependencies: { "@azure/msal-browser": sameVersionAs("@azure/msal-browser") }, code: 'import { createAuthShell } from "resilient-token-broker/shell";\nexport const start = createAuthShell;\n' },
  react: {
    dependencies: { "@azure/msal-browser": sameVersionAs("@azure/msal-browser"), react: sameVersionAs("react"), "react-dom": sameVersionAs("react-dom") },
    code: 'import { AuthShellProvider } from "resilient-token-broker/react";\nexport const Provider = AuthShellProvider;\n',
  },
  "extension-broker": { dependencies: {}, code: 'import { createExtensionBroker } from "resilient-token-broker/extension-broker";\nexport const create = createExtensionBroker;\n' },
} as const;

test.describe.configure({ mode: "parallel" });

for (const [entry, consumer] of Object.entries(CONSUMERS)) {
  test(`an app that installs the package for /${entry} gets no testkit-only package (npm ls --omit=dev --all)`, () => {
    test.setTimeout(300_000);
    const project = createConsumerProject({ name: `deps-${entry}`, dependencies: consumer.dependencies, files: { "src/index.js": consumer.code } });
    try {
      const tree = JSON.parse(project.run("npm", ["ls", "--omit=dev", "--all", "--json"])) as LsNode;
      const names = namesIn(tree);
      expect(names.has("resilient-token-broker")).toBe(true);
      expect(TESTKIT_ONLY.filter((name) => names.has(name))).toEqual([]);
      // The tree as npm prints it, for the record (the issue asks for a shell-only consumer's).
      console.info(`npm ls --omit=dev --all of a /${entry} consumer:\n${project.run("npm", ["ls", "--omit=dev", "--all"])}`);
    } finally {
      project.remove();
    }
  });
}
