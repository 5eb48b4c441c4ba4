#!/usr/bin/env node
// Placeholder until the extension and web builds land: fails loudly rather than pretending.
console.error("build: not implemented yet");
process.exit(1);
