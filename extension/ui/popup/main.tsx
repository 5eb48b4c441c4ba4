import { createRoot } from "react-dom/client";
import "../styles.css";
import { PopupApp } from "./popup-app.js";

createRoot(document.getElementById("root")!).render(<PopupApp />);
