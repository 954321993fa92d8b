package io.ironlake.jobs.quality;

/**
 * Control chart constants by subgroup size n (2 to 25), as printed in the standard tables (ASTM
 * E2587, Montgomery's "Introduction to Statistical Quality Control", Appendix VI), so limits match
 * a hand calculation with the book. The test checks each against its defining formula.
 *
 * @param n subgroup size
 * @param a2 X-bar chart factor from the mean range: limits X̿ ± A2·R̄
 * @param d3Factor R chart lower factor D3: LCL = D3·R̄
 * @param d4 R chart upper factor D4: UCL = D4·R̄
 * @param a3 X-bar chart factor from the mean standard deviation: limits X̿ ± A3·S̄
 * @param b3 S chart lower factor B3: LCL = B3·S̄
 * @param b4 S chart upper factor B4: UCL = B4·S̄
 * @param c4 bias of the sample standard deviation: σ̂ = S̄ / c4
 * @param d2 mean of the relative range: σ̂ = R̄ / d2
 * @param d3 standard deviation of the relative range
 */
public record SpcConstants(
    int n,
    double a2,
    double d3Factor,
    double d4,
    double a3,
    double b3,
    double b4,
    double c4,
    double d2,
    double d3) {

  /** Smallest subgroup size with constants. */
  public static final int MIN_N = 2;

  /** Largest subgroup size with constants. */
  public static final int MAX_N = 25;

  // n, A2, D3, D4, A3, B3, B4, c4, d2, d3
  private static final double[][] TABLE = {
    {2, 1.880, 0, 3.267, 2.659, 0, 3.267, 0.7979, 1.128, 0.853},
    {3, 1.023, 0, 2.574, 1.954, 0, 2.568, 0.8862, 1.693, 0.888},
    {4, 0.729, 0, 2.282, 1.628, 0, 2.266, 0.9213, 2.059, 0.880},
    {5, 0.577, 0, 2.114, 1.427, 0, 2.089, 0.9400, 2.326, 0.864},
    {6, 0.483, 0, 2.004, 1.287, 0.030, 1.970, 0.9515, 2.534, 0.848},
    {7, 0.419, 0.076, 1.924, 1.182, 0.118, 1.882, 0.9594, 2.704, 0.833},
    {8, 0.373, 0.136, 1.864, 1.099, 0.185, 1.815, 0.9650, 2.847, 0.820},
    {9, 0.337, 0.184, 1.816, 1.032, 0.239, 1.761, 0.9693, 2.970, 0.808},
    {10, 0.308, 0.223, 1.777, 0.975, 0.284, 1.716, 0.9727, 3.078, 0.797},
    {11, 0.285, 0.256, 1.744, 0.927, 0.321, 1.679, 0.9754, 3.173, 0.787},
    {12, 0.266, 0.283, 1.717, 0.886, 0.354, 1.646, 0.9776, 3.258, 0.778},
    {13, 0.249, 0.307, 1.693, 0.850, 0.382, 1.618, 0.9794, 3.336, 0.770},
    {14, 0.235, 0.328, 1.672, 0.817, 0.406, 1.594, 0.9810, 3.407, 0.763},
    {15, 0.223, 0.347, 1.653, 0.789, 0.428, 1.572, 0.9823, 3.472, 0.756},
    {16, 0.212, 0.363, 1.637, 0.763, 0.448, 1.552, 0.9835, 3.532, 0.750},
    {17, 0.203, 0.378, 1.622, 0.739, 0.466, 1.534, 0.9845, 3.588, 0.744},
    {18, 0.194, 0.391, 1.608, 0.718, 0.482, 1.518, 0.9854, 3.640, 0.739},
    {19, 0.187, 0.403, 1.597, 0.698, 0.497, 1.503, 0.9862, 3.689, 0.734},
    {20, 0.180, 0.415, 1.585, 0.680, 0.510, 1.490, 0.9869, 3.735, 0.729},
    {21, 0.173, 0.425, 1.575, 0.663, 0.523, 1.477, 0.9876, 3.778, 0.724},
    {22, 0.167, 0.434, 1.566, 0.647, 0.534, 1.466, 0.9882, 3.819, 0.720},
    {23, 0.162, 0.443, 1.557, 0.633, 0.545, 1.455, 0.9887, 3.858, 0.716},
    {24, 0.157, 0.451, 1.548, 0.619, 0.555, 1.445, 0.9892, 3.895, 0.712},
    {25, 0.153, 0.459, 1.541, 0.606, 0.565, 1.435, 0.9896, 3.931, 0.708},
  };

  /** The constants for subgroup size {@code n}. */
  public static SpcConstants forSize(int n) {
    if (n < MIN_N || n > MAX_N) {
      throw new IllegalArgumentException(
          "Invalid subgroup size " + n + ": expected " + MIN_N + " to " + MAX_N);
    }
    double[] r = TABLE[n - MIN_N];
    return new SpcConstants(n, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
  }
}
