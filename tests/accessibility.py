"""Checks that axe leaves to people, run in the page: contrast of text on its background."""

# Colour helpers of both checks: a CSS colour's channels, and WCAG 2 relative luminance.
COLOUR = """
  const rgba = (value) => {
    const [r, g, b, a = 1] = value.match(/[\\d.]+/g).map(Number);
    return {r, g, b, a};
  };
  const luminance = ({r, g, b}) => {
    const [R, G, B] = [r, g, b].map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
"""

# Returns [{text, ratio}] for every element matching the selector: the contrast between its
# text colour and the first opaque background behind it (WCAG 2 relative luminance).
CONTRASTS = (
    """
(selector) => {"""
    + COLOUR
    + """  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const background = (element) => {
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour.a > 0) layers.push(colour);
      if (colour.a === 1) break;
    }
    return layers.reduceRight((below, layer) => over(layer, below), {r: 255, g: 255, b: 255, a: 1});
  };
  return [...document.querySelectorAll(selector)].map((element) => {
    const back = background(element);
    const text = over(rgba(getComputedStyle(element).color), back);
    const [light, dark] = [luminance(text), luminance(back)].sort((x, y) => y - x);
    return {text: element.innerText.trim(), ratio: (light + 0.05) / (dark + 0.05)};
  });
}
"""
)


def contrasts(page, selector: str) -> list[dict]:
    return page.evaluate(CONTRASTS, selector)


# The focused element's indicator: its outline's width, and the outline colour's contrast with
# the first opaque background behind the element.
FOCUS_RING = (
    """
() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);"""
    + COLOUR
    + """  let back = {r: 255, g: 255, b: 255, a: 1};
  for (let node = element.parentElement; node; node = node.parentElement) {
    const colour = rgba(getComputedStyle(node).backgroundColor);
    if (colour.a === 1) { back = colour; break; }
  }
  const ring = rgba(style.outlineColor);
  const [light, dark] = [luminance(ring), luminance(back)].sort((x, y) => y - x);
  return {
    element: element.outerHTML.slice(0, 80),
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    ratio: (light + 0.05) / (dark + 0.05),
  };
}
"""
)


def focus_rings(page, steps: int) -> list[dict]:
    """Tabs `steps` times from the top of the page and reads each focus indicator."""
    rings = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if not ring["element"].startswith("<body"):  # past the last control, out of the page
            rings.append(ring)
    return rings


KOREAN_WITHOUT_LANG = """() => {
  const hangul = /[\\u1100-\\u11ff\\u3130-\\u318f\\uac00-\\ud7af]/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const bare = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!hangul.test(node.data) || node.parentElement.closest("script, style")) continue;
    const owner = node.parentElement.closest("[lang]");
    if (!owner || !owner.getAttribute("lang").toLowerCase().startsWith("ko")) {
      bare.push(node.data.trim().slice(0, 40));
    }
  }
  return bare;
}"""


def korean_without_lang(page) -> list[str]:
    """The Korean text runs of the page's body that no element marks `lang="ko"`."""
    return page.evaluate(KOREAN_WITHOUT_LANG)
