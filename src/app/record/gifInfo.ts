/**
 * Reads a GIF's structure (no pixels): its size, and each frame's size and delay. For the
 * tests, which must count frames properly rather than count 0x2C bytes that may be pixel data.
 */

export interface GifFrameInfo {
  width: number;
  height: number;
  /** Hundredths of a second, from the frame's graphic control extension (0 if it has none). */
  delayCentiseconds: number;
}

export interface GifInfo {
  version: 'GIF87a' | 'GIF89a';
  width: number;
  height: number;
  /** The global colour table as [r, g, b] (gifenc writes the first frame's palette there). */
  globalColors: [number, number, number][];
  /** From the NETSCAPE2.0 extension: 0 loops forever; null when the GIF plays once. */
  loopCount: number | null;
  frames: GifFrameInfo[];
}

class GifReader {
  position = 0;
  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.position >= this.bytes.length) throw new Error(`The GIF ends early, at byte ${this.position}.`);
    return this.bytes[this.position++] as number;
  }

  uint16(): number {
    const low = this.byte();
    return low | (this.byte() << 8);
  }

  skip(count: number): void {
    if (this.position + count > this.bytes.length) throw new Error(`The GIF ends early, inside a block at byte ${this.position}.`);
    this.position += count;
  }

  text(count: number): string {
    let text = '';
    for (let i = 0; i < count; i += 1) text += String.fromCharCode(this.byte());
    return text;
  }

  /** Data sub-blocks: a length byte, that many bytes, until a zero length. */
  subBlocks(): Uint8Array[] {
    const blocks: Uint8Array[] = [];
    for (let size = this.byte(); size !== 0; size = this.byte()) {
      blocks.push(this.bytes.subarray(this.position, this.position + size));
      this.skip(size);
    }
    return blocks;
  }
}

const EXTENSION = 0x21;
const IMAGE_DESCRIPTOR = 0x2c;
const TRAILER = 0x3b;
const GRAPHIC_CONTROL = 0xf9;
const APPLICATION = 0xff;

function uint16At(block: Uint8Array, offset: number): number {
  return (block[offset] as number) | ((block[offset + 1] as number) << 8);
}

function colorTableBytes(packed: number): number {
  return packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0;
}

export function readGifInfo(bytes: Uint8Array): GifInfo {
  const reader = new GifReader(bytes);
  const version = reader.text(6);
  if (version !== 'GIF87a' && version !== 'GIF89a') throw new Error(`Not a GIF: it starts with ${JSON.stringify(version)}.`);
  const width = reader.uint16();
  const height = reader.uint16();
  const screenPacked = reader.byte();
  reader.skip(2); // background colour index, pixel aspect ratio
  const globalColors: [number, number, number][] = [];
  for (let i = 0; i < colorTableBytes(screenPacked) / 3; i += 1) globalColors.push([reader.byte(), reader.byte(), reader.byte()]);

  const frames: GifFrameInfo[] = [];
  let loopCount: number | null = null;
  let pendingDelay = 0;
  for (;;) {
    const introducer = reader.byte();
    if (introducer === TRAILER) return { version, width, height, globalColors, loopCount, frames };
    if (introducer === EXTENSION) {
      const label = reader.byte();
      const [first = new Uint8Array(0), second = new Uint8Array(0)] = reader.subBlocks();
      if (label === GRAPHIC_CONTROL && first.length >= 3) pendingDelay = uint16At(first, 1);
      // NETSCAPE2.0's second sub-block is 1, then the loop count.
      if (label === APPLICATION && String.fromCharCode(...first) === 'NETSCAPE2.0' && second.length >= 3 && second[0] === 1) loopCount = uint16At(second, 1);
    } else if (introducer === IMAGE_DESCRIPTOR) {
      reader.skip(4); // left, top
      const frameWidth = reader.uint16();
      const frameHeight = reader.uint16();
      const packed = reader.byte();
      reader.skip(colorTableBytes(packed));
      reader.byte(); // LZW minimum code size
      reader.subBlocks();
      frames.push({ width: frameWidth, height: frameHeight, delayCentiseconds: pendingDelay });
      pendingDelay = 0;
    } else {
      throw new Error(`Unexpected block 0x${introducer.toString(16)} at byte ${reader.position - 1} of the GIF.`);
    }
  }
}
