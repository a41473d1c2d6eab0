"""Makes the fixture photographs of xai-faceapi from face-api's demo JPEGs.

Run (Debian python3-pil; PIL 9.4 was used):
    mkdir -p /tmp/faceapi && cd /tmp/faceapi && npm pack @vladmandic/face-api@1.7.15 && tar xzf vladmandic-face-api-1.7.15.tgz
    /usr/bin/python3 xai-faceapi/src/test/python/make_photos.py /tmp/faceapi/package/demo \
        xai-faceapi/src/main/resources/org/xai4j/faceapi/photos

Each demo/sampleN.jpg (1920 px wide) is resized to 640 px wide with Lanczos and saved as PNG: lossless, so Java's
ImageIO and Node's pngjs (make_reference.js) decode identical pixels, which a JPEG decoder's rounding would not give.
"""
import sys
from pathlib import Path

from PIL import Image

WIDTH = 640


def main(src: str, dst: str) -> None:
    out = Path(dst)
    out.mkdir(parents=True, exist_ok=True)
    for i in range(1, 7):
        image = Image.open(Path(src) / f"sample{i}.jpg").convert("RGB")
        w, h = image.size
        image.resize((WIDTH, round(h * WIDTH / w)), Image.LANCZOS).save(out / f"sample{i}.png", optimize=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
