package io.kdflow.core.wire;

/**
 * Indices of the k largest values of a row, largest first; equal values keep the lower index first, so the
 * selection is deterministic. A bounded min-heap makes it O(V log k) for a row of V values.
 */
final class TopK {

    private TopK() {
    }

    /** The indices of the {@code k} largest (non-NaN) values of {@code row}, in descending order of value. */
    static int[] indices(float[] row, int k) {
        int[] heap = new int[k]; // heap[0] is the worst kept index
        int size = 0;
        for (int index = 0; index < row.length; index++) {
            if (size < k) {
                heap[size] = index;
                siftUp(heap, size++, row);
            } else if (better(index, heap[0], row)) {
                heap[0] = index;
                siftDown(heap, size, row);
            }
        }
        int[] result = new int[size];
        for (int i = size - 1; i >= 0; i--) {
            result[i] = heap[0];
            heap[0] = heap[i];
            siftDown(heap, i, row);
        }
        return result;
    }

    /** True when index a ranks before index b: larger value, or equal value and lower index. */
    private static boolean better(int a, int b, float[] row) {
        return row[a] > row[b] || (row[a] == row[b] && a < b);
    }

    private static void siftUp(int[] heap, int position, float[] row) {
        while (position > 0) {
            int parent = (position - 1) / 2;
            if (!better(heap[parent], heap[position], row)) {
                return;
            }
            swap(heap, parent, position);
            position = parent;
        }
    }

    private static void siftDown(int[] heap, int size, float[] row) {
        int position = 0;
        while (true) {
            int left = 2 * position + 1;
            if (left >= size) {
                return;
            }
            int worse = left;
            if (left + 1 < size && better(heap[left], heap[left + 1], row)) {
                worse = left + 1;
            }
            if (!better(heap[position], heap[worse], row)) {
                return;
            }
            swap(heap, position, worse);
            position = worse;
        }
    }

    private static void swap(int[] heap, int a, int b) {
        int held = heap[a];
        heap[a] = heap[b];
        heap[b] = held;
    }
}
