import { createRoot } from "react-dom/client";
import { textLanguage } from "../../i18n/status-text.js";
import { t } from "../../i18n/translate.js";
import "../styles.css";
import { PopupApp } from "./popup-app.js";

// The page's language is the one its texts are shown in (screen readers and hyphenation follow <html lang>).
document.documentElement.lang = textLanguage();
document.title = t("popup_title");
createRoot(document.getElementById("root")!).render(<PopupApp />);
