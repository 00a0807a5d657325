import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { installTheme } from "./app/theme";
import { installTestHooks } from "./testHooks";
import "./styles.css";

installTheme();
installTestHooks();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
