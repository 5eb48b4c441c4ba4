import { createRoot } from "react-dom/client";
import { textLanguage } from "../../i18n/status-text.js";
import "../styles.css";
import { OptionsApp } from "./options-app.js";

// The page's language is the one its texts are shown in (screen readers follow <html lang>).
document.documentElement.lang = textLanguage();
createRoot(document.getElementById("root")!).render(<OptionsApp />);
