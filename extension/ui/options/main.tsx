import { createRoot } from "react-dom/client";
import { uiLanguage } from "../../i18n/translate.js";
import "../styles.css";
import { OptionsApp } from "./options-app.js";

// The page's language is Chrome's UI language (screen readers follow <html lang>).
document.documentElement.lang = uiLanguage();
createRoot(document.getElementById("root")!).render(<OptionsApp />);
