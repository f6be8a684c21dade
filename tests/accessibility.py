"""Checks that axe leaves to people, run in the page: contrast of text on its background."""

import json
import subprocess
from pathlib import Path

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
async () => {
  // After the browser has drawn the next frame: focus moving between the parts of a date input
  // is complete only then.
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
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


# Page states of a journey, checked as they are met and validated together at the end --------

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_RUN = """async (tags) => {
  const found = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return found.violations.map((v) => ({
    id: v.id,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
}"""


# Nu checker messages accepted on purpose, each with its reason.
ACCEPTED_HTML = {
    "An “input” element with a “type” attribute whose value is “hidden” must not have an "
    "“autocomplete” attribute whose value is “on” or “off”.": "Django's formset management "
    "form sets autocomplete=off on its hidden counts, so that Firefox does not restore stale "
    "counts on Back and break the formset; harmless to people.",
}


class Journey:
    """Every page state of a journey: a screenshot, axe (WCAG 2.2 AA), focus rings ≥ 3:1, badges
    ≥ 4.5:1, reflow at 320 px, and at the end the Nu HTML checker over all states in one run.

    axe is evaluated by the test driver (the DevTools protocol), which the page's CSP does not
    govern: the site keeps its strict policy while it is checked.
    """

    def __init__(self, page, name: str, screenshot, *, tabs: int = 12):
        self.page, self.name, self.screenshot, self.tabs = page, name, screenshot, tabs
        self.problems: list[tuple[str, str, object]] = []
        self.html_dir = ARTIFACTS / "html"
        self.html_dir.mkdir(parents=True, exist_ok=True)
        self.files: list[Path] = []

    def check(self, state: str) -> None:
        page = self.page
        label = f"{self.name}-{len(self.files):02d}-{state}"
        page.wait_for_load_state()
        self.screenshot(page, label)
        path = self.html_dir / f"{label}.html"
        path.write_text(page.content(), encoding="utf-8")
        self.files.append(path)
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
        if violations := page.evaluate(AXE_RUN, WCAG_22_AA):
            self.problems.append((label, "axe", violations))
        if faint := [b for b in contrasts(page, ".badge") if b["ratio"] < 4.5]:
            self.problems.append((label, "badge contrast", faint))
        size = page.viewport_size
        page.set_viewport_size({"width": 320, "height": size["height"]})
        if (width := page.evaluate("document.documentElement.scrollWidth")) > 320:
            self.problems.append((label, "reflow at 320 px", width))
        page.set_viewport_size(size)
        page.evaluate(
            "window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()"
        )
        rings = focus_rings(page, self.tabs)
        if weak := [r for r in rings if r["style"] == "none" or r["width"] < 2 or r["ratio"] < 3]:
            self.problems.append((label, "focus ring", weak))

    def finish(self) -> None:
        """Runs the Nu HTML checker once over every state and fails with all that was found."""
        answer = subprocess.run(
            ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, self.files)],
            capture_output=True,
            text=True,
            check=False,
        )
        messages = json.loads(answer.stderr or answer.stdout or '{"messages": []}')["messages"]
        for message in messages:
            if message.get("message") in ACCEPTED_HTML:
                continue
            self.problems.append(
                (Path(message.get("url", "")).name, "html", message.get("message", ""))
            )
        assert self.problems == [], "\n".join(
            f"{state}: {kind}: {json.dumps(found, ensure_ascii=False)[:600]}"
            for state, kind, found in self.problems
        )
