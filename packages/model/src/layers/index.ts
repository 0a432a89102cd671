/** This package's layer classes, registered with tf.serialization on import: the classes a model.json may name. */
export { AttentionPooling } from './attention-pooling.ts';
export { StatisticsPooling } from './statistics-pooling.ts';
