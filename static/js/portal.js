// After a refused form, the summary of what to correct takes the focus: screen readers read it
// first, and keyboard users start from its links to the fields.
const summary = document.getElementById("error-summary");
if (summary) {
  summary.focus();
}
