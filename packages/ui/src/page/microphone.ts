/**
 * Recording from the microphone as raw float samples at the AudioContext's rate (the device's,
 * e.g. 48 kHz), through an AudioWorklet (recorder-worklet.ts). No browser audio decoding: the
 * samples go to the pipeline's own resampler and features, as a decoded file's would.
 */

export interface Recording {
  /** Stop and return what was recorded (mono). */
  stop(): Promise<{ samples: Float32Array; sampleRate: number }>;
}

export async function startRecording(): Promise<Recording> {
  // Raw input: echo cancellation, noise suppression and gain control would change the signal the model sees.
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
  });
  const context = new AudioContext();
  await context.audioWorklet.addModule('/assets/recorder-worklet.js');
  const source = context.createMediaStreamSource(stream);
  const recorder = new AudioWorkletNode(context, 'recorder', { channelCount: 1, channelCountMode: 'explicit', numberOfOutputs: 1 });
  const chunks: Float32Array[] = [];
  recorder.port.onmessage = (e: MessageEvent<Float32Array>) => chunks.push(e.data);
  // The worklet writes no output; connecting it keeps the graph pulling audio through it.
  source.connect(recorder).connect(context.destination);
  return {
    async stop() {
      source.disconnect();
      recorder.disconnect();
      for (const track of stream.getTracks()) track.stop();
      const sampleRate = context.sampleRate;
      await context.close();
      const samples = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
      chunks.reduce((at, c) => (samples.set(c, at), at + c.length), 0);
      return { samples, sampleRate };
    },
  };
}
