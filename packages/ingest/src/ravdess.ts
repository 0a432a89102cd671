/**
 * RAVDESS file names: `03-01-EE-II-SS-RR-AA.wav` = modality (03 audio-only), vocal channel
 * (01 speech), emotion, intensity, statement, repetition, actor (odd = male). The same names with
 * any extension the decoder reads (.flac, .mp3, .ogg, .opus) are the same recordings in other formats.
 * Livingstone & Russo (2018), PLoS ONE 13(5): e0196391.
 */
/** RAVDESS emotion codes 01..08, in code order: label_index = code - 1. */
export const EMOTIONS = ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'] as const;

export interface RecordingInfo {
  id: string;
  label: string;
  labelIndex: number;
  speaker: string;
  gender: 'male' | 'female' | '';
  intensity: number;
  statement: number;
  repetition: number;
}

/** File extensions of the audio formats @ser/dsp's decodeAudio reads (it tells them apart by content). */
export const AUDIO_EXTENSIONS = ['wav', 'flac', 'mp3', 'ogg', 'opus'] as const;

const SPEECH_NAME = new RegExp(`^03-01-(0[1-8])-(0[12])-(0[12])-(0[12])-(\\d{2})\\.(?:${AUDIO_EXTENSIONS.join('|')})$`, 'i');

/** Parse a RAVDESS audio-only speech file name; null for song (03-02), video and other files. */
export function parseRavdessName(fileName: string): RecordingInfo | null {
  const m = SPEECH_NAME.exec(fileName);
  if (!m) return null;
  const [, emotion, intensity, statement, repetition, actor] = m;
  const actorNumber = Number(actor);
  if (actorNumber < 1) return null;
  return {
    id: fileName.replace(/\.\w+$/, ''),
    label: EMOTIONS[Number(emotion) - 1],
    labelIndex: Number(emotion) - 1,
    speaker: actor,
    gender: actorNumber % 2 === 1 ? 'male' : 'female',
    intensity: Number(intensity),
    statement: Number(statement),
    repetition: Number(repetition),
  };
}

/** Actor folder names look like `Actor_07`. */
export const ACTOR_DIR = /^Actor_(\d{2})$/;
