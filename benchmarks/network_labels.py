"""How readable the dashboard's actor network is on a given store: overlapping label pairs.

Serves the store on loopback (uvicorn in its own process), opens the dashboard in Debian's headless
Chromium through Playwright (never a downloaded browser), and prints the number of actors drawn,
labels shown and hidden, label pairs whose boxes overlap, and labels lying on another actor's
circle; saves a screenshot of the network panel.

    .venv/bin/python benchmarks/network_labels.py --db STORE [--out network.png] [--nodes 40] [--width 1400]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_latency import LoopbackServer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MEASURE_JS = """() => {
  const visible = (t) => getComputedStyle(t).display !== "none";
  const all = [...document.querySelectorAll("#network svg text.label")];
  const labels = all.filter(visible);
  const boxes = labels.map((t) => t.getBoundingClientRect());
  const hit = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 &&
                        Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
  let pairs = 0, onCircles = 0;
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) if (hit(boxes[i], boxes[j])) pairs++;
  const circles = [...document.querySelectorAll("#network svg g.node")].map(
    (g) => [g.dataset.actor, g.querySelector("circle").getBoundingClientRect()]);
  labels.forEach((t, i) => {
    for (const [actor, c] of circles) if (actor !== t.parentNode.dataset.actor && hit(boxes[i], c)) onCircles++;
  });
  return {nodes: circles.length, edges: document.querySelectorAll("#network g.edge-group").length,
          labels: all.length, visible: labels.length, pairs, onCircles,
          caption: document.querySelector("#network-caption").textContent};
}"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="the store to draw")
    ap.add_argument("--out", default="network.png", help="screenshot of the network panel (PNG)")
    ap.add_argument("--nodes", type=int, default=40, choices=(20, 40, 80), help="actors drawn (the dashboard's choice)")
    ap.add_argument("--width", type=int, default=1400, help="browser window width in pixels")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    with LoopbackServer(args.db) as srv, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 1000})
        page.goto(srv.base + "/#/")
        page.wait_for_selector("body[data-ready='1']", timeout=60000)
        if args.nodes != 40:
            page.select_option("#network-form select[name=nodes]", str(args.nodes))
            page.wait_for_timeout(1500)
        m = page.evaluate(MEASURE_JS)
        panel = page.locator("#network").locator("xpath=..")
        panel.screenshot(path=args.out)
        browser.close()
    print(f"{args.db}: {m['nodes']} actors, {m['edges']} links drawn; labels shown {m['visible']} of {m['labels']}; "
          f"overlapping label pairs {m['pairs']}; labels on another actor's circle {m['onCircles']}")
    print(f"caption: {m['caption']}")
    print(f"screenshot: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
