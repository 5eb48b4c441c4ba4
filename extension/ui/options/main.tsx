import { createRoot } from "react-dom/client";
import { textLanguage } from "../../i18n/status-text.js";
import { t } from "../../i18n/translate.js";
import "../styles.css";
import { OptionsApp } from "./options-app.js";

// The page's language is the one its texts are shown in (screen readers follow <html lang>).
document.documentElement.lang = textLanguage();
// The tab's and window's title in the same language (options.html can only hold one fixed text).
document.title = t("options_title");
createRoot(document.getElementById("root")!).render(<OptionsApp />);
