/**
 * Face detection for the photo guidelines: SSD MobileNet v1 as `@vladmandic/face-api` ships it (the
 * weights are files inside the npm package, nothing is fetched at run time), on TensorFlow.js's
 * WebAssembly backend (no native download at install, unlike tfjs-node). Chosen over
 * `@vladmandic/human` (same author, far larger, many models we do not need) and ONNX models (the
 * runtime's native build is a large download): one small model that finds frontal and turned faces.
 *
 * The model runs in one long-lived worker thread, so the event loop stays free (`/healthz` answers
 * during a detection). One job at a time, a bounded queue, and a time budget per job counted from
 * when it was asked for: a job still queued at its end is dropped, a job still running has its
 * worker terminated (a fresh one starts for the next job). The worker's JavaScript heap is limited,
 * its input is at most LOOK_SIDE px on its long side, and it is replaced once the tensors it holds
 * grow past a bound. Every failure is `FaceCheckUnavailable`: the caller falls back to the crop it
 * had without faces, never refuses a photo.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FaceBox } from '../core/photo/face-rules';

/** Long side (px) of the downscaled copy detection runs on; faces under ~20 px of it are not found. */
export const LOOK_SIDE = 640;

/** Why a face check could not be made. */
export type FaceCheckFailure = 'timeout' | 'busy' | 'failed';

/** Thrown when no answer could be had; `reason` goes into the note and the metrics. */
export class FaceCheckUnavailable extends Error {
  constructor(
    readonly reason: FaceCheckFailure,
    message: string,
  ) {
    super(message);
    this.name = 'FaceCheckUnavailable';
  }
}

/** Finds faces in raw pixels. */
export interface FaceDetector {
  /** Faces in `rgb` (8-bit, 3 channels, `width` x `height`), in its pixel space; throws FaceCheckUnavailable. */
  detect(rgb: Uint8Array, width: number, height: number, timeoutMs: number): Promise<FaceBox[]>;
  /** Stops the worker (tests, shutdown); a later detect starts a new one. */
  close(): Promise<void>;
}

/** Settings of the worker detector. */
export interface WorkerFaceDetectorOptions {
  /** Lowest score a face is reported with (SSD's own default is 0.5). */
  minScore?: number;
  /** Jobs that may wait for the worker; beyond that, `busy` at once. */
  queueLimit?: number;
  /** Heap limit of the worker's JavaScript, MB (the model's tensors are in WebAssembly memory). */
  heapMb?: number;
  /** Replace the worker once its tensors hold more than this, MB (the model itself is about 22 MB). */
  tensorMemoryMb?: number;
}

const DEFAULTS = { minScore: 0.5, queueLimit: 16, heapMb: 192, tensorMemoryMb: 64 };
/** Most faces reported per photo. */
const MAX_FACES = 20;

/**
 * The worker, as source: an `eval` worker needs no file beside the compiled code, so it runs the same
 * under ts-jest and tsc output (as heic-decoder.ts). TensorFlow.js and its WebAssembly module print
 * with console.*: silenced, so `--json` output stays clean. The worker's stdio is not piped to us: piped
 * streams would keep an idle worker, and so a finished CLI or test run, alive.
 */
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
for (const k of ['log', 'info', 'warn', 'error', 'debug', 'trace']) console[k] = () => {};
const failed = (id, err) => parentPort.postMessage({ id, kind: 'failed', message: String((err && err.message) || err).split('\\n')[0] });
(async () => {
  let tf, faceapi, options;
  try {
    tf = require(workerData.tfjs);
    const wasm = require(workerData.wasmBackend);
    faceapi = require(workerData.faceApi);
    wasm.setWasmPaths(workerData.wasmDir, false);
    await tf.setBackend('wasm');
    await tf.ready();
    await faceapi.nets.ssdMobilenetv1.loadFromDisk(workerData.modelDir);
    options = new faceapi.SsdMobilenetv1Options({ minConfidence: workerData.minScore, maxResults: workerData.maxFaces });
  } catch (err) {
    return failed(0, err);
  }
  parentPort.postMessage({ id: 0, kind: 'ready' });
  parentPort.on('message', async (job) => {
    let input;
    try {
      input = tf.tensor3d(new Uint8Array(job.data), [job.height, job.width, 3], 'int32');
      const found = await faceapi.detectAllFaces(input, options);
      const faces = found.map((d) => ({ x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height, score: d.score }));
      parentPort.postMessage({ id: job.id, kind: 'faces', faces, tensorBytes: tf.memory().numBytes });
    } catch (err) {
      failed(job.id, err);
    } finally {
      if (input) input.dispose();
    }
  });
})();
`;

type Answer =
  | { id: number; kind: 'ready' }
  | { id: number; kind: 'faces'; faces: FaceBox[]; tensorBytes: number }
  | { id: number; kind: 'failed'; message: string };

interface Job {
  id: number;
  rgb: Uint8Array;
  width: number;
  height: number;
  resolve: (faces: FaceBox[]) => void;
  reject: (err: FaceCheckUnavailable) => void;
  timer: NodeJS.Timeout;
}

/** Where the model, the WebAssembly binaries and the three packages are (resolved here, loaded in the worker). */
function modulePaths(): Record<string, string> {
  const faceApiRoot = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
  const wasmRoot = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  return {
    tfjs: require.resolve('@tensorflow/tfjs'),
    wasmBackend: require.resolve('@tensorflow/tfjs-backend-wasm'),
    faceApi: path.join(faceApiRoot, 'dist', 'face-api.node-wasm.js'),
    modelDir: path.join(faceApiRoot, 'model'),
    wasmDir: path.join(wasmRoot, 'dist') + path.sep,
  };
}

/** FaceDetector on a worker thread running face-api's SSD MobileNet v1 on tfjs WebAssembly. */
export class WorkerFaceDetector implements FaceDetector {
  private readonly options: Required<WorkerFaceDetectorOptions>;
  private worker: Worker | null = null;
  private ready = false;
  private running: Job | null = null;
  private readonly queue: Job[] = [];
  private nextId = 1;
  /** Jobs answered, and worker starts: for tests and metrics. */
  readonly counts = { detections: 0, workersStarted: 0, timeouts: 0 };

  constructor(options: WorkerFaceDetectorOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  detect(rgb: Uint8Array, width: number, height: number, timeoutMs: number): Promise<FaceBox[]> {
    if (rgb.length !== width * height * 3) {
      return Promise.reject(new FaceCheckUnavailable('failed', `expected ${width * height * 3} bytes`));
    }
    if (this.queue.length >= this.options.queueLimit) {
      return Promise.reject(new FaceCheckUnavailable('busy', 'face check queue full'));
    }
    return new Promise<FaceBox[]>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        rgb,
        width,
        height,
        resolve,
        reject,
        timer: setTimeout(() => this.expire(job), Math.max(1, timeoutMs)),
      };
      this.queue.push(job);
      this.pump();
    });
  }

  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) this.settle(job, new FaceCheckUnavailable('failed', 'detector closed'));
    if (this.running) this.settle(this.running, new FaceCheckUnavailable('failed', 'detector closed'));
    this.running = null;
    await this.stopWorker();
  }

  /** A job's budget ran out: dropped from the queue, or its worker stopped mid-detection. */
  private expire(job: Job): void {
    this.counts.timeouts++;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.reject(new FaceCheckUnavailable('busy', 'face check waited past its time budget'));
      return;
    }
    if (this.running === job) {
      this.running = null;
      job.reject(new FaceCheckUnavailable('timeout', 'face check ran past its time budget'));
      void this.stopWorker().then(() => this.pump());
    }
  }

  private settle(job: Job, outcome: FaceBox[] | FaceCheckUnavailable): void {
    clearTimeout(job.timer);
    if (outcome instanceof FaceCheckUnavailable) job.reject(outcome);
    else job.resolve(outcome);
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const worker = this.worker ?? this.startWorker();
    if (!this.ready) return; // 'ready' pumps again
    const job = this.queue.shift()!;
    // A copy in an ArrayBuffer of its own, which the worker then owns: the caller's pixels stay usable, and a
    // Buffer from sharp or Node's pool (which newer Node refuses to transfer) is never handed over.
    const copy = new Uint8Array(job.rgb.length);
    copy.set(job.rgb);
    try {
      worker.postMessage({ id: job.id, width: job.width, height: job.height, data: copy.buffer }, [copy.buffer]);
    } catch (err) {
      this.settle(job, new FaceCheckUnavailable('failed', `cannot hand the photo to the detector: ${String(err)}`));
      this.pump();
      return;
    }
    this.running = job;
  }

  private startWorker(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ...modulePaths(), minScore: this.options.minScore, maxFaces: MAX_FACES },
      resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb, maxYoungGenerationSizeMb: 32 },
    });
    this.counts.workersStarted++;
    this.worker = worker;
    this.ready = false;
    worker.on('message', (answer: Answer) => this.onAnswer(worker, answer));
    worker.once('error', (err) => this.onWorkerGone(worker, `detector failed: ${err.message}`));
    worker.once('exit', (code) => this.onWorkerGone(worker, `detector exited with code ${code}`));
    // An idle worker must not keep a finished CLI or test alive. After the listeners: adding a 'message' listener
    // refs the worker's port again. A job waiting for an answer is kept alive by its own timer.
    worker.unref();
    return worker;
  }

  private onAnswer(worker: Worker, answer: Answer): void {
    if (worker !== this.worker) return;
    if (answer.kind === 'ready') {
      this.ready = true;
      this.pump();
      return;
    }
    if (answer.id === 0) {
      // The model could not be loaded: every waiting job gets the failure, the next one tries a new worker.
      this.onWorkerGone(worker, answer.kind === 'failed' ? answer.message : 'detector failed to start');
      return;
    }
    const job = this.running;
    if (!job || job.id !== answer.id) return;
    this.running = null;
    if (answer.kind === 'faces') {
      this.counts.detections++;
      this.settle(job, answer.faces);
      if (answer.tensorBytes > this.options.tensorMemoryMb * 1024 * 1024) {
        void this.stopWorker().then(() => this.pump());
        return;
      }
    } else {
      this.settle(job, new FaceCheckUnavailable('failed', answer.message));
    }
    this.pump();
  }

  /** The worker died or could not start: the running job (and, if it never started, the queue) fail. */
  private onWorkerGone(worker: Worker, message: string): void {
    if (worker !== this.worker) return;
    const wasReady = this.ready;
    this.worker = null;
    this.ready = false;
    void worker.terminate();
    if (this.running) this.settle(this.running, new FaceCheckUnavailable('failed', message));
    this.running = null;
    if (!wasReady) {
      for (const job of this.queue.splice(0)) this.settle(job, new FaceCheckUnavailable('failed', message));
    }
    this.pump();
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.ready = false;
    if (worker) await worker.terminate();
  }
}
