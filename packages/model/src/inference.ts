/** What running a trained model needs (the eval stage, `ser predict`), without the training code. */
export { initBackend } from './backend.ts';
export { loadTrainedModel, MODEL_FILE, type TrainedModel } from './files.ts';
export { predictProbabilities } from './predict.ts';
