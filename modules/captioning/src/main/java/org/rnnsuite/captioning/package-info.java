/**
 * Show-and-Tell image captioning: a scene builder that composes captioned images from real object pictures
 * ({@link org.rnnsuite.captioning.SceneBuilder}), a reader for datasets in the Flickr8k layout
 * ({@link org.rnnsuite.captioning.CaptionDataset}), a CNN encoder and LSTM decoder trained end to end in one
 * ComputationGraph ({@link org.rnnsuite.captioning.CaptionModel}), greedy and beam decoding
 * ({@link org.rnnsuite.captioning.Captioner}), corpus BLEU ({@link org.rnnsuite.captioning.Bleu}) and the tasks the
 * command line calls ({@link org.rnnsuite.captioning.CaptionTask}).
 */
package org.rnnsuite.captioning;
