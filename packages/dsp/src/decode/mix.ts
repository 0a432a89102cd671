/** The mono mix every decoder returns, as decodeWav (wav.ts) makes it and librosa.to_mono defines it. */

/**
 * Mean of the channels of each frame: the sum of the float32 samples in double precision, divided by
 * the channel count, rounded to float32 once (decodeWav's order of operations, so a FLAC and the WAV
 * it was made from mix to the same bits). One channel is returned as is.
 */
export function mixChannels(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0];
  const frames = channels[0].length;
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (const channel of channels) sum += channel[i];
    out[i] = sum / channels.length;
  }
  return out;
}
