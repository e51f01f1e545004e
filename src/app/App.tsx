import { useEffect, useRef, useState } from 'react';
import { DEFAULT_PRESET_ID } from '../core/presets';
import { withPreset } from '../core/cliArgs';
import { defaultParams } from '../core/schema';
import { isBackendName, type BackendInfo, type BackendRequest } from '../train/backend';
import type { WorkerSnapshot } from '../train/protocol';
import { drawCirclePanel } from '../panels/circlePanel';
import { TrainingClient } from './trainingClient';

function requestedBackend(search: string): BackendRequest {
  const value = new URLSearchParams(search).get('backend') ?? 'auto';
  return isBackendName(value) ? value : 'auto';
}

const CIRCLE_SIZE = 420;

export function App() {
  const clientRef = useRef<TrainingClient | null>(null);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const stepRef = useRef<HTMLSpanElement | null>(null);
  const lossRef = useRef<HTMLSpanElement | null>(null);
  const accuracyRef = useRef<HTMLSpanElement | null>(null);
  const rateRef = useRef<HTMLSpanElement | null>(null);
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [notices, setNotices] = useState<string[]>([]);
  const [playing, setPlaying] = useState(true);

  useEffect(() => {
    const draw = (snapshot: WorkerSnapshot): void => {
      if (stepRef.current) stepRef.current.textContent = String(snapshot.step);
      if (lossRef.current) lossRef.current.textContent = Number.isFinite(snapshot.loss) ? snapshot.loss.toFixed(4) : '–';
      if (accuracyRef.current) accuracyRef.current.textContent = `${(snapshot.trainAccuracy * 100).toFixed(1)}%`;
      if (rateRef.current) rateRef.current.textContent = snapshot.stepsPerSecond.toFixed(0);
      const canvas = canvasRef.current;
      const context = canvas?.getContext('2d');
      if (!canvas || !context) return;
      const ratio = window.devicePixelRatio || 1;
      if (canvas.width !== CIRCLE_SIZE * ratio) {
        canvas.width = CIRCLE_SIZE * ratio;
        canvas.height = CIRCLE_SIZE * ratio;
      }
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      drawCirclePanel(context, snapshot, { width: CIRCLE_SIZE, height: CIRCLE_SIZE }, getComputedStyle(canvas).color);
    };
    const client = new TrainingClient({
      draw,
      backend: setBackend,
      notice: (message) => setNotices((list) => [...list, message]),
      error: (message) => setNotices((list) => [...list, message]),
    });
    clientRef.current = client;
    client.init(withPreset(defaultParams(), DEFAULT_PRESET_ID), requestedBackend(window.location.search), true, 4);
    return () => client.dispose();
  }, []);

  const togglePlay = (): void => {
    if (playing) clientRef.current?.pause();
    else clientRef.current?.play();
    setPlaying(!playing);
  };

  return (
    <main className="app">
      <header>
        <h1>ArcFace Playground</h1>
        <p className="status" aria-live="polite">
          backend <strong data-testid="status-backend">{backend ? backend.name : 'starting…'}</strong>
          {' · '}step <span data-testid="status-step" ref={stepRef}>0</span>
          {' · '}loss <span data-testid="status-loss" ref={lossRef}>–</span>
          {' · '}train accuracy <span data-testid="status-accuracy" ref={accuracyRef}>–</span>
          {' · '}<span ref={rateRef}>0</span> steps/s
        </p>
        {backend && <p className="backend-reason" data-testid="backend-reason">{backend.reason}</p>}
      </header>
      <div className="controls">
        <button type="button" data-testid="play" onClick={togglePlay}>{playing ? 'Pause' : 'Play'}</button>
      </div>
      <figure className="panel" data-testid="panel-circle">
        <canvas ref={canvasRef} style={{ width: CIRCLE_SIZE, height: CIRCLE_SIZE }} aria-label="Normalised features of the 8 identities on the unit circle" role="img" />
        <figcaption>Normalised 2-D features on the unit circle; solid lines are W<sub>j</sub>, dashed lines the identity feature centres.</figcaption>
      </figure>
      {notices.length > 0 && (
        <ul className="notices" role="status">
          {notices.map((notice, index) => <li key={index}>{notice}</li>)}
        </ul>
      )}
    </main>
  );
}
