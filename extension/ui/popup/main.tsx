import { createRoot } from "react-dom/client";
import { t, uiLanguage } from "../../i18n/translate.js";
import "../styles.css";
import { PopupApp } from "./popup-app.js";

// The page's language is Chrome's UI language (screen readers and hyphenation follow <html lang>).
document.documentElement.lang = uiLanguage();
document.title = t("popup_title");
createRoot(document.getElementById("root")!).render(<PopupApp />);
