// Django's filter_horizontal widget (admin/js/SelectFilter2.js) names its filter box with an
// aria-label on a bare span, which ARIA does not allow (axe: aria-prohibited-attr). Once it has
// drawn the widget (on load), the name moves to the filter box itself and the icon is hidden
// from assistive technology: what people hear stays the same.
window.addEventListener("load", () => {
  document.querySelectorAll(".selector-filter label .help-tooltip[aria-label]").forEach((icon) => {
    const box = document.getElementById(icon.closest("label").htmlFor);
    if (box) box.setAttribute("aria-label", icon.getAttribute("aria-label"));
    icon.removeAttribute("aria-label");
    icon.setAttribute("aria-hidden", "true");
  });
});
