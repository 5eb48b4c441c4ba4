// The whole public API of /shell and /react, as an app that imports all of it (size budget in .size-limit.js).
import * as shell from "resilient-token-broker/shell";
import * as react from "resilient-token-broker/react";

console.log(shell, react);
