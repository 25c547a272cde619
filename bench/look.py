"""Look at the reports as they print: render → PDF (LibreOffice) → PNG pages (poppler).

    python bench/look.py                      # render every shipped template with its sample context
    python bench/look.py output/2023-08/*.xlsx  # or take existing report workbooks
    python bench/look.py --out /tmp/look --dpi 80 --only 一览表

Writes into a folder outside the repository (default /tmp/kaohe-look): the rendered
.xlsx, its .pdf and one PNG per printed page, and prints every page's path. Needs
`soffice` (LibreOffice) and `pdftoppm` (poppler-utils) on PATH.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def render_samples(out: Path, only: str | None = None) -> list[Path]:
    from kaohe_excel.write.engine import render
    from tools.sample_contexts import SAMPLES

    templates = ROOT / "templates"
    done = []
    for key, (name, make) in SAMPLES.items():
        if only and only not in name and only != key:
            continue
        target = out / f"样例-{name}"
        render(templates / name, make(), target)
        done.append(target)
    return done


def to_pdf(xlsx: Path, out: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise SystemExit("找不到 LibreOffice（soffice），无法转换为 PDF")
    # a private profile: no clash with a LibreOffice the user has open, no first-start dialogs
    with tempfile.TemporaryDirectory(prefix="kaohe-lo-") as prof:
        cmd = [exe, f"-env:UserInstallation=file://{prof}", "--headless", "--convert-to", "pdf",
               "--outdir", str(out), str(xlsx)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=240)
    pdf = out / (xlsx.stem + ".pdf")
    if not pdf.exists():
        raise SystemExit(f"LibreOffice 没有生成 {pdf.name}")
    return pdf


def to_png(pdf: Path, out: Path, dpi: int) -> list[Path]:
    if not shutil.which("pdftoppm"):
        raise SystemExit("找不到 pdftoppm（poppler-utils），无法转换为图片")
    prefix = out / pdf.stem
    for old in out.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True, timeout=240)
    return sorted(out.glob(f"{pdf.stem}-*.png"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="把报表转成 PDF 和逐页 PNG 图片，检查打印效果")
    ap.add_argument("files", nargs="*", type=Path, help="已有的报表 .xlsx（不给则用样例数据渲染全部模板）")
    ap.add_argument("--out", type=Path, default=Path(os.environ.get("KAOHE_LOOK", "/tmp/kaohe-look")),
                    help="输出目录（默认 /tmp/kaohe-look）")
    ap.add_argument("--dpi", type=int, default=60, help="图片分辨率（默认 60）")
    ap.add_argument("--only", help="只处理文件名中含此文字的报表")
    args = ap.parse_args(argv)
    out: Path = args.out.resolve()
    if out == ROOT or ROOT in out.parents:
        raise SystemExit("输出目录请放在仓库之外")
    out.mkdir(parents=True, exist_ok=True)
    files = [f.resolve() for f in args.files] if args.files else render_samples(out, args.only)
    if args.only and args.files:
        files = [f for f in files if args.only in f.name]
    total = 0
    for f in files:
        pdf = to_pdf(f, out)
        pages = to_png(pdf, out, args.dpi)
        total += len(pages)
        print(f"{f.name}：{len(pages)} 页")
        for p in pages:
            print(f"  {p}")
    print(f"共 {len(files)} 个文件，{total} 页，在 {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
