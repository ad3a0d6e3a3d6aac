// Safeguard's only page script. It is a static file, never inline, so the Content-Security-Policy
// can forbid inline script. GOV.UK Frontend's page template adds these body classes with an
// inline script; a module script runs only in browsers that GOV.UK Frontend supports, so adding
// them here is equivalent.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
