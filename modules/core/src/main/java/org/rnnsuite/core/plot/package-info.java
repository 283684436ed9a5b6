/** PNG plots of what people look at: loss curves and other line charts, rendered headless. */
package org.rnnsuite.core.plot;
