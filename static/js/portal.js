// After a refused form, the summary of what to correct takes the focus: screen readers read it
// first, and keyboard users start from its links to the fields.
const summary = document.getElementById("error-summary");
if (summary) {
  summary.focus();
}

// KRDS's full menu on small screens. Without JavaScript its link opens it as the page's target;
// here it opens in place, says whether it is open, takes the focus and closes with Escape.
const menu = document.getElementById("mobile-nav");
const toggle = document.querySelector(".menu-toggle");
const close = document.getElementById("close-nav");
if (menu && toggle && close) {
  toggle.setAttribute("role", "button");
  toggle.setAttribute("aria-expanded", "false");
  const setOpen = (open) => {
    menu.classList.toggle("is-open", open);
    toggle.setAttribute("aria-expanded", String(open));
    const target = open ? menu.querySelector(".gnb-main-trigger") : toggle;
    target.focus();
    // The menu slides in: what is still hidden takes the focus once it is shown.
    if (document.activeElement !== target) {
      menu.addEventListener("transitionend", () => target.focus(), { once: true });
    }
  };
  toggle.addEventListener("click", (event) => {
    event.preventDefault();
    setOpen(true);
  });
  close.addEventListener("click", (event) => {
    event.preventDefault();
    setOpen(false);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.classList.contains("is-open")) setOpen(false);
  });
}
