/**
 * decodeAudio on real files: RAVDESS FLACs against the WAVs they were made from (bit for bit), the
 * committed MP3 / OGG Vorbis / Opus fixtures against a reference decode by another decoder (within a
 * stated tolerance, aligned sample for sample), truncated and unsupported files (one error naming
 * the file and the reason).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '../src/decode/audio.ts';
import { AudioDecodeError } from '../src/decode/error.ts';
import { splitFlacFrames } from '../src/decode/flac-frames.ts';
import { decodeWav } from '../src/wav.ts';
import { AUDIO_FIXTURES, LOSSY_FIXTURES } from '../src/testing.ts';

const RAVDESS = resolve(import.meta.dirname, '../../../../shared/datasets/ravdess');
/** Largest |decoded − reference| allowed for the lossy formats (−120 dBFS; measured: 1.1e-7, 1.3e-8, 1.8e-7). */
const LOSSY_TOLERANCE = 1e-6;
/** The reference window of make.sh: samples [48000, 60000) at 48 kHz. */
const WINDOW = { start: 48000, length: 12000 };

let wavs: string;
beforeAll(() => {
  wavs = mkdtempSync(join(tmpdir(), 'ser-decode-'));
  execFileSync('bash', [join(RAVDESS, 'restore.sh'), wavs, '01'], { stdio: 'pipe' });
});
afterAll(() => rmSync(wavs, { recursive: true, force: true }));

const fixture = (name: string) => readFileSync(join(AUDIO_FIXTURES, name));
const sourceWav = (clip: string) => decodeWav(readFileSync(join(wavs, 'Actor_01', `${clip}.wav`)), clip);
const stem = (file: string) => file.replace(/\.\w+$/, '');

/** The error decodeAudio throws for `bytes` (fails the test if it decodes). */
async function decodeError(bytes: Uint8Array, name: string): Promise<AudioDecodeError> {
  const err = await decodeAudio(bytes, name).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `${name} should not decode`).toBeInstanceOf(AudioDecodeError);
  return err as AudioDecodeError;
}

describe('FLAC', () => {
  it('every Actor_01 FLAC decodes to exactly the samples of its restored WAV', async () => {
    const flacs = readdirSync(join(RAVDESS, 'Actor_01')).filter((f) => f.endsWith('.flac'));
    expect(flacs).toHaveLength(60);
    for (const f of flacs) {
      const flac = await decodeAudio(readFileSync(join(RAVDESS, 'Actor_01', f)), f);
      const wav = sourceWav(stem(f));
      expect([flac.sampleRate, flac.channels, flac.samples.length], f).toEqual([wav.sampleRate, wav.channels, wav.samples.length]);
      let differing = 0;
      for (let i = 0; i < wav.samples.length; i++) if (flac.samples[i] !== wav.samples[i]) differing++;
      expect(differing, `${f}: samples that differ from the WAV`).toBe(0);
    }
  });

  it('24-bit stereo: the mono mix equals decodeWav of the source WAV bit for bit', async () => {
    const flac = await decodeAudio(fixture('tone-24bit-stereo.flac'), 'tone.flac');
    const wav = decodeWav(fixture('tone-24bit-stereo.wav'), 'tone.wav');
    expect([flac.sampleRate, flac.channels]).toEqual([48000, 2]);
    expect(flac.samples).toEqual(wav.samples);
  });
});

describe.each(Object.entries(LOSSY_FIXTURES))('%s', (format, file) => {
  it(`matches the reference decode within ${LOSSY_TOLERANCE} and lines up with the source WAV`, async () => {
    const decoded = await decodeAudio(fixture(file), file);
    const source = sourceWav(stem(file));
    expect([decoded.sampleRate, decoded.channels]).toEqual([48000, 1]);
    // Gapless: encoder delay and padding removed (LAME's Info header, Opus pre-skip and end trim).
    expect(decoded.samples.length).toBe(source.samples.length);
    const reference = new Float32Array(new Uint8Array(fixture(`${file}.ref.f32`)).buffer);
    expect(reference.length).toBe(WINDOW.length);
    let max = 0;
    for (let i = 0; i < WINDOW.length; i++) max = Math.max(max, Math.abs(decoded.samples[WINDOW.start + i] - reference[i]));
    console.log(`${format}: max |decoded − reference| = ${max.toExponential(2)} over ${WINDOW.length} samples`);
    expect(max).toBeLessThan(LOSSY_TOLERANCE);
    // Against the source WAV: the delays a decoder would leave if it ignored the gapless data (Opus
    // pre-skip 312, LAME's 576 + 529, a frame of 1152) all fit worse than no shift, and the best
    // shift is within 2 samples of 0 (a 32 kbit/s Opus moves the waveform's fit by a sample or two).
    const error = (lag: number) => {
      let e = 0;
      for (let i = 20000; i < 150000; i++) e += (decoded.samples[i + lag] - source.samples[i]) ** 2;
      return e;
    };
    for (const lag of [312, 576, 1105, 1152]) for (const sign of [-1, 1]) expect(error(0), `shift ${sign * lag}`).toBeLessThan(error(sign * lag));
    let best = 0;
    for (let lag = -8; lag <= 8; lag++) if (error(lag) < error(best)) best = lag;
    console.log(`${format}: best shift against the source WAV ${best} samples`);
    expect(Math.abs(best)).toBeLessThanOrEqual(2);
  });
});

const FLAC_CLIP = '03-01-06-01-01-01-01.flac';
const ravdessFlac = () => readFileSync(join(RAVDESS, 'Actor_01', FLAC_CLIP));

/** Where the FLAC's 20th audio frame ends (a cut there leaves whole frames only). */
function flacCutAtFrame(bytes: Buffer): number {
  // Metadata blocks: a flag/type byte and a 24-bit length each, the last one flagged 0x80.
  let audioStart = 4;
  for (let last = 0; !last; audioStart += 4 + bytes.readUIntBE(audioStart + 1, 3)) last = bytes[audioStart] & 0x80;
  const { frames } = splitFlacFrames(bytes.subarray(audioStart));
  return audioStart + frames.slice(0, 20).reduce((n, f) => n + f.length, 0);
}

describe('truncated files: one error naming the file and saying so', () => {
  const cases: [string, () => Buffer, (b: Buffer) => number][] = [
    ['flac', ravdessFlac, flacCutAtFrame],
    // CBR 64 kbit/s at 48 kHz: 192-byte frames from byte 0 (the Info frame first).
    ['mp3', () => fixture(LOSSY_FIXTURES.mp3), () => 192 * 100],
    ['ogg', () => fixture(LOSSY_FIXTURES.ogg), (b) => b.lastIndexOf('OggS', b.length >> 1)],
    ['opus', () => fixture(LOSSY_FIXTURES.opus), (b) => b.lastIndexOf('OggS', b.length >> 1)],
  ];
  it.each(cases)('%s cut inside a frame, and cut between frames', async (format, read, boundary) => {
    const bytes = read();
    const name = `clip.${format}`;
    const inside = await decodeError(bytes.subarray(0, Math.round(bytes.length * 0.6) + 7), name);
    expect(inside.message).toMatch(new RegExp(`^clip\\.${format}: truncated`));
    const between = await decodeError(bytes.subarray(0, boundary(bytes)), name);
    expect(between.message).toMatch(new RegExp(`^clip\\.${format}: truncated`));
    console.log(`${format}: ${inside.message}\n${format}: ${between.message}`);
  });
});

describe('format by content, not by name; unsupported formats named', () => {
  const supported = 'supported: WAV, FLAC, MP3, OGG Vorbis, Opus';
  it('an MP3 named .wav decodes as MP3, a FLAC named .mp3 as FLAC', async () => {
    expect((await decodeAudio(fixture(LOSSY_FIXTURES.mp3), 'really-mp3.wav')).samples.length).toBe(sourceWav(stem(LOSSY_FIXTURES.mp3)).samples.length);
    expect((await decodeAudio(ravdessFlac(), 'really-flac.mp3')).samples).toEqual(sourceWav(stem(FLAC_CLIP)).samples);
  });

  it('AAC/MP4, WebM, AIFF, Ogg FLAC, text and empty files', async () => {
    const m4a = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A \0\0\0\0'), Buffer.alloc(64)]);
    expect((await decodeError(m4a, 'clip.m4a')).message).toBe(`clip.m4a: unsupported audio format (AAC/MP4); ${supported}`);
    const webm = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(64)]);
    expect((await decodeError(webm, 'voice.webm')).message).toBe(`voice.webm: unsupported audio format (WebM/Matroska); ${supported}`);
    const aiff = Buffer.concat([Buffer.from('FORM\0\0\0\0AIFF'), Buffer.alloc(64)]);
    expect((await decodeError(aiff, 'a.aiff')).message).toMatch(/^a\.aiff: unsupported audio format \(AIFF\)/);
    // One Ogg page whose first packet is an Ogg FLAC identification header.
    const packet = Buffer.from('\x7fFLAC\x01\x00\x00\x01fLaC', 'latin1');
    const page = Buffer.concat([Buffer.from('OggS\0\x02', 'latin1'), Buffer.alloc(20), Buffer.from([1, packet.length]), packet]);
    expect((await decodeError(page, 'x.oga')).message).toBe(`x.oga: unsupported audio format (Ogg FLAC); ${supported}`);
    expect((await decodeError(Buffer.from('path,label\n'), 'notes.wav')).message).toBe(
      `notes.wav: unsupported audio format (unrecognised header bytes 70 61 74 68); ${supported}`,
    );
    expect((await decodeError(Buffer.alloc(0), 'empty.flac')).message).toBe('empty.flac: empty file');
  });

  it("a WAV still gets decodeWav's own reasons", async () => {
    expect((await decodeError(Buffer.from('RIFF\0\0\0\0WAVE'), 'short.wav')).message).toBe('short.wav: no fmt chunk');
  });

  it('corrupt data inside an MP3 is an error, not a quieter clip', async () => {
    const bytes = Buffer.from(fixture(LOSSY_FIXTURES.mp3));
    for (let i = 8000; i < 12000; i++) bytes[i] = (i * 7919) & 0xff;
    expect((await decodeError(bytes, 'noisy.mp3')).message).toMatch(/^noisy\.mp3: (corrupt|truncated or corrupt) MP3/);
  });
});
