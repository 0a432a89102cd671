/**
 * @ser/model: the CNN, the training engine and the train stage.
 * - initBackend(choice): 'auto' | 'node' | 'wasm' | 'cpu' → the backend that runs ('tensorflow' | 'wasm' | 'cpu').
 * - buildModel(params, numClasses, inputShape = [128,128,1]): the Keras-style CNN (see model.ts).
 * - trainModel({train, val, numClasses, params, onEpoch, onBatch, checkpoint}): data-parallel training
 *   on worker threads; returns { model, history }.
 * - modelFiles / loadTrainedModel: TF.js layers files (model.json + weights.bin + standardization.json).
 * - predictProbabilities(model, standardization, logmel, count, shape = [128,128]) → Float32Array [count, classes].
 * - benchTrain({ batches, backend, workers }) → JSON figures.
 */
export { initBackend } from './backend.ts';
export { buildModel, type ModelParams } from './model.ts';
export {
  trainModel,
  type TrainData,
  type TrainOptions,
  type TrainResult,
  type EpochRecord,
  type History,
  type Checkpoint,
  type CheckpointStore,
} from './train.ts';
export { folderCheckpointStore } from './checkpoint.ts';
export { modelFiles, loadTrainedModel, standardizationFile, MODEL_FILE, WEIGHTS_FILE, STANDARDIZATION_FILE, type TrainedModel } from './files.ts';
export { fitStandardization, applyStandardization, type Standardization } from './standardize.ts';
export { predictProbabilities } from './predict.ts';
export { benchTrain, type BenchOptions } from './bench.ts';
export { runTorchPeer, ratioToPeer, type PeerResult } from './peer-bench.ts';
export { registerFastKernels, fastKernels } from './kernels/register.ts';
