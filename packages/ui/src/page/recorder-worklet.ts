/** The AudioWorklet processor of microphone.ts: posts each 128-frame block of the (mono) input to the page. */

// AudioWorkletGlobalScope's names (not in TypeScript's DOM library).
declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
  abstract process(inputs: Float32Array[][]): boolean;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

class Recorder extends AudioWorkletProcessor {
  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    // The block's buffer is reused by the audio thread: post a copy.
    if (channel) this.port.postMessage(channel.slice());
    return true;
  }
}

registerProcessor('recorder', Recorder);
