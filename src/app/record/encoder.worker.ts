/// <reference lib="webworker" />
/**
 * The encoder worker: frames in, one file out. WebM and MP4 go through WebCodecs'
 * VideoEncoder with mediabunny muxing; GIF goes through gifenc (quantising each frame here,
 * which is the slow part and why it is not on the page). Frames are encoded one at a time in
 * order; after each the page hears how many are done, which is its backpressure signal.
 */
import { BufferTarget, canEncodeVideo, getFirstEncodableVideoCodec, Mp4OutputFormat, Output, QUALITY_HIGH, type VideoCodec, VideoSample, VideoSampleSource, WebMOutputFormat } from 'mediabunny';
import { avcFallbackCodecStrings, checkRecordOptions, MIME_TYPES, MP4_UNSUPPORTED_MESSAGE, type RecordOptions, VIDEO_CODEC_CANDIDATES, WEBM_UNSUPPORTED_MESSAGE } from './formats';
import { GifWriter } from './gifWriter';
import { closeFrame, type EncoderRequest, type EncoderResponse, isRgbaFrame, type RecordFrame } from './protocol';
import { frameDuration, frameTimestamp } from './timing';

const scope = self as unknown as DedicatedWorkerGlobalScope;

interface FrameSink {
  readonly codec: string;
  add(frame: RecordFrame, index: number): Promise<void>;
  finish(): Promise<{ bytes: ArrayBuffer; mimeType: string }>;
  cancel(): Promise<void>;
}

function post(message: EncoderResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function checkSize(frame: RecordFrame, options: RecordOptions): void {
  if (frame.width !== options.width || frame.height !== options.height) {
    throw new Error(`Every frame must be ${options.width}×${options.height} pixels; this one is ${frame.width}×${frame.height}.`);
  }
}

/** The codec (and, for a lower H.264 profile, its full codec string) this browser can encode at this size; null if none. */
async function chooseVideoCodec(options: RecordOptions & { format: 'webm' | 'mp4' }): Promise<{ codec: VideoCodec; fullCodecString?: string } | null> {
  const query = { width: options.width, height: options.height, quality: QUALITY_HIGH, frameRate: options.fps };
  const codec = await getFirstEncodableVideoCodec([...VIDEO_CODEC_CANDIDATES[options.format]], query);
  if (codec !== null) return { codec };
  if (options.format !== 'mp4') return null;
  for (const fullCodecString of avcFallbackCodecStrings(options.width, options.height, options.fps)) {
    if (await canEncodeVideo('avc', { ...query, fullCodecString })) return { codec: 'avc', fullCodecString };
  }
  return null;
}

async function videoSink(options: RecordOptions & { format: 'webm' | 'mp4' }): Promise<FrameSink> {
  const unsupported = options.format === 'mp4' ? MP4_UNSUPPORTED_MESSAGE : WEBM_UNSUPPORTED_MESSAGE;
  if (typeof VideoEncoder === 'undefined') throw new Error(unsupported);
  const choice = await chooseVideoCodec(options);
  if (choice === null) throw new Error(unsupported);

  const target = new BufferTarget();
  // fastStart 'in-memory' puts the index (moov) first, which PowerPoint and streaming players want.
  const format = options.format === 'mp4' ? new Mp4OutputFormat({ fastStart: 'in-memory' }) : new WebMOutputFormat();
  const output = new Output({ format, target });
  // 'quality' latency: no frame may be dropped (the default, said here because 'realtime' would drop them).
  const source = new VideoSampleSource({ ...choice, quality: QUALITY_HIGH, latencyMode: 'quality' });
  output.addVideoTrack(source, { frameRate: options.fps });
  await output.start();

  return {
    codec: choice.fullCodecString ?? choice.codec,
    async add(frame, index) {
      const timing = { timestamp: frameTimestamp(index, options.fps), duration: frameDuration(index, options.fps) };
      const sample = isRgbaFrame(frame)
        ? new VideoSample(new Uint8Array(frame.rgba), { ...timing, format: 'RGBA', codedWidth: frame.width, codedHeight: frame.height })
        : new VideoSample(frame, timing);
      try {
        // Resolves when the encoder and muxer are ready for more: the worker's own backpressure.
        await source.add(sample);
      } finally {
        sample.close();
      }
    },
    async finish() {
      source.close();
      await output.finalize();
      if (!target.buffer) throw new Error('The encoder finished without a file.');
      return { bytes: target.buffer, mimeType: await output.getMimeType() };
    },
    async cancel() {
      await output.cancel();
    },
  };
}

function gifSink(options: RecordOptions): FrameSink {
  const writer = new GifWriter(options.width, options.height, options.fps);
  // Reading an ImageBitmap's pixels needs a 2D canvas; one is reused for every frame.
  let canvas: OffscreenCanvasRenderingContext2D | null = null;
  const pixelsOf = (frame: ImageBitmap): Uint8ClampedArray => {
    canvas ??= new OffscreenCanvas(options.width, options.height).getContext('2d', { willReadFrequently: true });
    if (!canvas) throw new Error('This browser cannot read frame pixels in a worker (no OffscreenCanvas 2D).');
    canvas.clearRect(0, 0, options.width, options.height);
    canvas.drawImage(frame, 0, 0);
    return canvas.getImageData(0, 0, options.width, options.height).data;
  };
  return {
    codec: 'gif',
    async add(frame) {
      writer.addFrame(isRgbaFrame(frame) ? new Uint8Array(frame.rgba) : pixelsOf(frame));
    },
    async finish() {
      const bytes = writer.finish();
      return { bytes: bytes.buffer, mimeType: MIME_TYPES.gif };
    },
    async cancel() {},
  };
}

/** One recording per worker: the page starts a fresh worker for the next one. */
class Session {
  private sink: Promise<FrameSink> | null = null;
  private options: RecordOptions | null = null;
  /** Every request runs after the one before it, so frames are encoded in order and `finish` waits for them. */
  private queue: Promise<void> = Promise.resolve();
  private encoded = 0;
  private failed = false;
  private cancelled = false;

  handle(request: EncoderRequest): void {
    if (request.kind === 'cancel') {
      // Not queued: a cancel must not wait behind the frames it cancels.
      this.cancelled = true;
      void this.sink?.then((sink) => sink.cancel()).catch(() => {});
      return;
    }
    this.queue = this.queue.then(() => this.run(request)).catch((error: unknown) => this.fail(error));
  }

  private async run(request: EncoderRequest): Promise<void> {
    if (this.failed || this.cancelled) {
      if (request.kind === 'frame') closeFrame(request.frame);
      return;
    }
    switch (request.kind) {
      case 'start': {
        if (this.sink) throw new Error('This encoder has already started a recording.');
        const problem = checkRecordOptions(request.options);
        if (problem) throw new Error(problem);
        const options = request.options;
        this.options = options;
        this.sink = options.format === 'gif' ? Promise.resolve(gifSink(options)) : videoSink({ ...options, format: options.format });
        post({ kind: 'ready', codec: (await this.sink).codec });
        return;
      }
      case 'frame': {
        try {
          const { sink, options } = await this.started();
          if (request.index !== this.encoded) throw new Error(`Frame ${request.index} arrived when frame ${this.encoded} was expected.`);
          if (this.encoded >= options.frameCount) throw new Error(`The recording holds ${options.frameCount} frames; frame ${request.index + 1} is one too many.`);
          checkSize(request.frame, options);
          await sink.add(request.frame, request.index);
        } finally {
          closeFrame(request.frame);
        }
        this.encoded += 1;
        post({ kind: 'progress', encoded: this.encoded, total: this.options?.frameCount ?? this.encoded });
        return;
      }
      case 'finish': {
        const { sink } = await this.started();
        if (this.encoded === 0) throw new Error('The recording has no frames.');
        const { bytes, mimeType } = await sink.finish();
        post({ kind: 'done', bytes, mimeType, frameCount: this.encoded }, [bytes]);
        return;
      }
    }
  }

  private async started(): Promise<{ sink: FrameSink; options: RecordOptions }> {
    if (!this.sink || !this.options) throw new Error('The encoder got a frame before it was started.');
    return { sink: await this.sink, options: this.options };
  }

  private fail(error: unknown): void {
    if (this.failed || this.cancelled) return;
    this.failed = true;
    void this.sink?.then((sink) => sink.cancel()).catch(() => {});
    post({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}

const session = new Session();
scope.addEventListener('message', (event: MessageEvent<EncoderRequest>) => session.handle(event.data));
