/**
 * Character language model: every lecture idea in one small module. Text is read as Unicode characters
 * ({@link org.rnnsuite.charlm.TextCorpus}), mapped to ids by a vocabulary built from the training text
 * ({@link org.rnnsuite.charlm.CharVocab}), fed one-hot to a stack of recurrent cells with a softmax output trained on
 * negative log-likelihood ({@link org.rnnsuite.charlm.CharLmModel}) with truncated BPTT over minibatches of
 * windows ({@link org.rnnsuite.charlm.CharBatchSource}), measured in bits per character
 * ({@link org.rnnsuite.charlm.BitsPerChar}), and sampled one character at a time with stored state
 * ({@link org.rnnsuite.charlm.CharLmTask#sample}). {@link org.rnnsuite.charlm.HelloRnn} is the four-letter toy
 * from the slides.
 */
package org.rnnsuite.charlm;
