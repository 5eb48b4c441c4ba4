import { createRoot } from "react-dom/client";
import "../styles.css";
import { OptionsApp } from "./options-app.js";

createRoot(document.getElementById("root")!).render(<OptionsApp />);
