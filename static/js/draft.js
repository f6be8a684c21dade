// The draft plan's page: selecting words inside one paragraph of a commitment offers a link to
// comment on that passage, with the paragraph, the passage and where it starts and ends filled
// in. Without JavaScript each paragraph has its own link, and the form lists the paragraphs.
const offsetIn = (paragraph, node, offset) => {
  const range = document.createRange();
  range.setStart(paragraph, 0);
  range.setEnd(node, offset);
  return range.toString().length;
};

const passageLink = (article) => {
  let link = article.querySelector(".draft-selection-link");
  if (!link) {
    link = document.createElement("a");
    link.className = "draft-selection-link krds-btn small secondary";
    link.textContent = article.dataset.selectionLabel;
  }
  return link;
};

const offer = (event) => {
  if (event.target instanceof Element && event.target.closest(".draft-selection-link")) {
    return; // a click on the link itself: it must stay where it is to be followed
  }
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
    return;
  }
  const range = selection.getRangeAt(0);
  const start = range.startContainer.parentElement?.closest(".draft-paragraph");
  const end = range.endContainer.parentElement?.closest(".draft-paragraph");
  const article = start?.closest("article[data-comment-url]");
  if (!start || start !== end || !article) {
    return;
  }
  const from = offsetIn(start, range.startContainer, range.startOffset);
  const to = offsetIn(start, range.endContainer, range.endOffset);
  const quote = start.textContent.slice(from, to);
  if (!quote.trim()) {
    return;
  }
  const query = new URLSearchParams({
    paragraph: start.dataset.paragraph,
    quote,
    quote_start: String(from),
    quote_end: String(to),
  });
  const link = passageLink(article);
  link.href = `${article.dataset.commentUrl}?${query}`;
  if (start.nextElementSibling !== link) {
    start.after(link);
  }
};

document.addEventListener("mouseup", offer);
document.addEventListener("keyup", (event) => {
  if (event.shiftKey) {
    offer(event);
  }
});
