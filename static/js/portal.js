// After a refused form, the summary of what to correct takes the focus: screen readers read it
// first, and keyboard users start from its links to the fields.
const summary = document.getElementById("error-summary");
if (summary) {
  summary.focus();
}

// KRDS's full menu on small screens. Without JavaScript its link opens it as the page's target;
// here it opens in place, says whether it is open, takes the focus, keeps Tab inside it while
// open and closes with Escape.
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
    if (!menu.classList.contains("is-open")) return;
    if (event.key === "Escape") {
      setOpen(false);
    } else if (event.key === "Tab") {
      const reachable = [...menu.querySelectorAll("a[href], button, input, select, textarea")]
        .filter((element) => !element.disabled && element.getClientRects().length > 0);
      const first = reachable[0];
      const last = reachable[reachable.length - 1];
      if (!menu.contains(document.activeElement)) {
        event.preventDefault();
        first.focus();
      } else if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });
}

// Vote receipts kept on this device only: the receipt page stores its code in this browser's
// localStorage, and the poll page and My participation show it again here. The server never
// keeps a receipt with a person. They are kept under the mark of the account signed in
// (`data-receipts-owner`): a page shown to nobody signed in, or to someone else, makes the
// browser forget them, so a session that ends without signing out on a shared computer does
// not leave them to the next person at the screen.
const RECEIPTS_KEY = "ogp-portal:receipts";
const receiptsOwner = document.body.dataset.receiptsOwner || "";

function forgetReceipts() {
  try {
    window.localStorage.removeItem(RECEIPTS_KEY);
  } catch {
    // Storage refused: nothing was kept.
  }
}

function storedReceipts() {
  try {
    const stored = JSON.parse(window.localStorage.getItem(RECEIPTS_KEY));
    if (stored && stored.owner === receiptsOwner && receiptsOwner) {
      return stored.receipts || {};
    }
  } catch {
    // Unreadable: forgotten below.
  }
  forgetReceipts();
  return {};
}

function storeReceipts(receipts) {
  try {
    window.localStorage.setItem(RECEIPTS_KEY, JSON.stringify({ owner: receiptsOwner, receipts }));
  } catch {
    // Storage full or refused (private mode): the receipt stays on screen and in the download.
  }
}

// Every page checks the mark, whether or not it shows a receipt.
storedReceipts();

// Signing out forgets them at once, before the next page.
document.querySelectorAll('form[action$="/accounts/logout/"]').forEach((form) => {
  form.addEventListener("submit", forgetReceipts);
});

const receiptCard = document.getElementById("vote-receipt");
if (receiptCard) {
  const data = receiptCard.dataset;
  const receipts = storedReceipts();
  receipts[data.receiptPoll] = {
    code: data.receiptCode,
    question: data.receiptQuestion,
    url: data.receiptUrl,
    at: data.receiptAt,
  };
  storeReceipts(receipts);
  // The address becomes the poll's: reloading shows the poll page with this receipt, instead
  // of sending the ballot again.
  window.history.replaceState(null, "", data.receiptUrl);
  const printButton = document.getElementById("receipt-print");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", () => window.print());
  }
}

const receiptSlots = document.querySelectorAll("[data-receipt-slot]");
if (receiptSlots.length) {
  const receipts = storedReceipts();
  let shown = 0;
  receiptSlots.forEach((slot) => {
    const receipt = receipts[slot.dataset.receiptSlot];
    if (!receipt) {
      return;
    }
    slot.querySelector("[data-receipt-code]").textContent = receipt.code;
    slot.querySelector("[data-receipt-at]").textContent = (receipt.at || "")
      .slice(0, 16)
      .replace("T", " ");
    slot.hidden = false;
    shown += 1;
  });
  const forget = document.getElementById("receipts-forget");
  if (forget && shown) {
    forget.hidden = false;
    forget.addEventListener("click", () => {
      forgetReceipts();
      receiptSlots.forEach((slot) => {
        slot.hidden = true;
      });
      forget.hidden = true;
    });
  }
}
