# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Compiled loops for :mod:`raqib.matching.bounds` (what they compute is documented there).

The numpy code in ``bounds.py`` makes a dozen numpy calls per query part over a thousand short names;
their overhead, not the arithmetic, was half of every query. These are the same sums and maxima in one
pass per name, in the same floating-point order where that order is cheap to keep.

Safety: the loops run with bounds checking off, so every id and index the caller gives is checked
before any memory is read with it (a wrong id raises ``ValueError``; it never reads out of bounds).
The loops hold the GIL although they could release it: :class:`Kernel` keeps scratch memory between
calls, and holding the GIL from the first write to it to its reset makes a call atomic for other
Python threads (nothing in between runs Python code).
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from libc.stdint cimport int32_t, int64_t
from libc.string cimport memcpy

import numpy as np


cdef inline double _larger(double first, double second) noexcept nogil:
    return first if first >= second else second


cdef double _pairwise_sum(const double* values, Py_ssize_t count) noexcept nogil:
    """numpy's own pairwise summation (``pairwise_sum`` in its float loops), term for term, so that a
    name's sum of listed shares is the one ``np.add.reduceat`` gives."""
    cdef double total, r0, r1, r2, r3, r4, r5, r6, r7
    cdef Py_ssize_t index, half
    if count < 8:
        total = -0.0
        for index in range(count):
            total += values[index]
        return total
    if count <= 128:
        r0, r1, r2, r3 = values[0], values[1], values[2], values[3]
        r4, r5, r6, r7 = values[4], values[5], values[6], values[7]
        index = 8
        while index < count - (count % 8):
            r0 += values[index]
            r1 += values[index + 1]
            r2 += values[index + 2]
            r3 += values[index + 3]
            r4 += values[index + 4]
            r5 += values[index + 5]
            r6 += values[index + 6]
            r7 += values[index + 7]
            index += 8
        total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while index < count:
            total += values[index]
            index += 1
        return total
    half = count // 2
    half -= half % 8
    return _pairwise_sum(values, half) + _pairwise_sum(values + half, count - half)


cdef Py_ssize_t _lower_bound(const int32_t* values, Py_ssize_t count, Py_ssize_t start, int32_t wanted) noexcept nogil:
    """The first position from ``start`` on whose value is at least ``wanted`` (``values`` sorted):
    exponential then binary search, so walking a short array through a long one costs
    O(short · log(long / short))."""
    cdef Py_ssize_t low, high, step, middle
    if start >= count or values[start] >= wanted:
        return start
    low = start  # values[low] < wanted throughout
    step = 1
    high = start + 1
    while high < count and values[high] < wanted:
        low = high
        step <<= 1
        high = low + step
    if high > count:
        high = count
    while high - low > 1:  # values[high] >= wanted, or high == count
        middle = low + (high - low) // 2
        if values[middle] < wanted:
            low = middle
        else:
            high = middle
    return high


cdef Py_ssize_t _merge(
    const int32_t* first, Py_ssize_t first_count, const int32_t* second, Py_ssize_t second_count,
    int32_t* out,
) noexcept nogil:
    """Union of two sorted unique arrays into ``out`` (sorted, unique); returns its length."""
    cdef Py_ssize_t i = 0, j = 0, k = 0
    while i < first_count and j < second_count:
        if first[i] < second[j]:
            out[k] = first[i]
            i += 1
        elif second[j] < first[i]:
            out[k] = second[j]
            j += 1
        else:
            out[k] = first[i]
            i += 1
            j += 1
        k += 1
    while i < first_count:
        out[k] = first[i]
        i += 1
        k += 1
    while j < second_count:
        out[k] = second[j]
        j += 1
        k += 1
    return k


cdef void* _allocate(Py_ssize_t size) except NULL:
    cdef void* memory = PyMem_Malloc(size if size > 0 else 1)
    if memory == NULL:
        raise MemoryError()
    return memory


def union(generating):
    """The sorted union of sorted unique int32 arrays (merged in pairs: O(total · log(arrays)))."""
    arrays = [np.ascontiguousarray(names, dtype=np.int32) for names in generating]
    cdef Py_ssize_t count = len(arrays), total = 0, position = 0, segment, merged_count, length
    if count == 0:
        return np.zeros(0, dtype=np.int32)
    if count == 1:
        return arrays[0]
    for names in arrays:
        total += len(names)
    cdef int32_t[::1] source_view = np.empty(total, dtype=np.int32)
    cdef int32_t[::1] target_view = np.empty(total, dtype=np.int32)
    cdef int32_t* source = &source_view[0] if total else NULL
    cdef int32_t* target = &target_view[0] if total else NULL
    cdef int32_t* swap
    cdef const int32_t[::1] names_view
    cdef Py_ssize_t* starts = <Py_ssize_t*>_allocate(count * sizeof(Py_ssize_t))
    cdef Py_ssize_t* lengths = <Py_ssize_t*>_allocate(count * sizeof(Py_ssize_t))
    try:
        for segment in range(count):
            names_view = arrays[segment]
            starts[segment] = position
            lengths[segment] = names_view.shape[0]
            if names_view.shape[0]:
                memcpy(source + position, &names_view[0], names_view.shape[0] * sizeof(int32_t))
            position += names_view.shape[0]
        while count > 1:
            position = 0
            merged_count = 0
            for segment in range(0, count - 1, 2):
                length = _merge(
                    source + starts[segment], lengths[segment],
                    source + starts[segment + 1], lengths[segment + 1],
                    target + position,
                )
                starts[merged_count] = position
                lengths[merged_count] = length
                position += length
                merged_count += 1
            if count % 2:
                memcpy(target + position, source + starts[count - 1], lengths[count - 1] * sizeof(int32_t))
                starts[merged_count] = position
                lengths[merged_count] = lengths[count - 1]
                merged_count += 1
            count = merged_count
            swap = source
            source = target
            target = swap
        merged_count = lengths[0]
    finally:
        PyMem_Free(starts)
        PyMem_Free(lengths)
    result = np.empty(merged_count, dtype=np.int32)
    cdef int32_t[::1] result_view = result
    if merged_count:
        memcpy(&result_view[0], source, merged_count * sizeof(int32_t))
    return result


def members(generating, useful, unpaired, double slack):
    """See ``Bounder.members`` in :mod:`raqib.matching.bounds`."""
    cdef Py_ssize_t part_count = len(unpaired)
    cdef Py_ssize_t part, position, reached_count, found, count, kept
    cdef double share, total
    reached = union(generating)
    cdef const int32_t[::1] reached_view = reached
    reached_count = reached_view.shape[0]
    cdef const int32_t[::1] names_view
    cdef int32_t wanted
    result = np.empty(reached_count, dtype=np.int32)
    cdef int32_t[::1] result_view = result
    if reached_count == 0:
        return result
    cdef double* best = <double*>_allocate(part_count * reached_count * sizeof(double))
    cdef double* row
    try:
        for part in range(part_count):
            share = unpaired[part]
            row = best + part * reached_count
            for position in range(reached_count):
                row[position] = share
        for names, part, share in useful:
            if not 0 <= part < part_count:
                raise ValueError(f"query part {part} out of range (the query has {part_count})")
            names_view = np.ascontiguousarray(names, dtype=np.int32)
            count = names_view.shape[0]
            if count == 0:
                continue
            row = best + part * reached_count
            found = 0
            for position in range(reached_count):
                wanted = reached_view[position]
                found = _lower_bound(&names_view[0], count, found, wanted)
                if found == count:
                    break
                if names_view[found] == wanted:
                    row[position] = _larger(row[position], share)
        kept = 0
        for position in range(reached_count):
            total = best[position] if part_count else 0.0
            for part in range(1, part_count):
                total += best[part * reached_count + position]
            if total >= -slack:
                result_view[kept] = reached_view[position]
                kept += 1
    finally:
        PyMem_Free(best)
    return result[:kept]


cdef class Kernel:
    """The listed side of an index (see ``ListedLayout``) and scratch memory for :meth:`bounds`.

    ``_slot`` maps each vocabulary id to its row in the call's compact evidence table (-1: no group has
    it). Only the ids a call touches are set and reset, so a call costs its inputs' size, never the
    vocabulary's.
    """

    cdef const int64_t[::1] _name_part_start
    cdef const int32_t[::1] _part_single
    cdef const int32_t[::1] _part_left
    cdef const int32_t[::1] _part_right
    cdef const double[::1] _part_weight
    cdef const double[::1] _part_unpaired
    cdef int32_t[::1] _slot
    cdef Py_ssize_t _name_count
    cdef Py_ssize_t _id_count
    cdef Py_ssize_t _longest

    def __init__(
        self, name_part_start, part_single, part_pair_left, part_pair_right, part_weight, part_unpaired,
        Py_ssize_t vocabulary_size,
    ):
        self._name_part_start = np.ascontiguousarray(name_part_start, dtype=np.int64)
        self._part_single = np.ascontiguousarray(part_single, dtype=np.int32)
        self._part_left = np.ascontiguousarray(part_pair_left, dtype=np.int32)
        self._part_right = np.ascontiguousarray(part_pair_right, dtype=np.int32)
        self._part_weight = np.ascontiguousarray(part_weight, dtype=np.float64)
        self._part_unpaired = np.ascontiguousarray(part_unpaired, dtype=np.float64)
        self._id_count = vocabulary_size + 1
        self._name_count = self._name_part_start.shape[0] - 1
        cdef Py_ssize_t part_count = self._part_single.shape[0], name, part, length
        if self._name_count < 0 or self._name_part_start[0] != 0:
            raise ValueError("name_part_start must start at 0")
        if self._name_part_start[self._name_count] != part_count:
            raise ValueError("name_part_start must end at the number of parts")
        if not (
            self._part_left.shape[0] == self._part_right.shape[0] == part_count
            and self._part_weight.shape[0] == self._part_unpaired.shape[0] == part_count
        ):
            raise ValueError("every per-part array needs one entry per part")
        self._longest = 0
        for name in range(self._name_count):
            length = self._name_part_start[name + 1] - self._name_part_start[name]
            if length < 0:
                raise ValueError("name_part_start must not decrease")
            if length > self._longest:
                self._longest = length
        for part in range(part_count):
            if not (
                0 <= self._part_single[part] < self._id_count
                and 0 <= self._part_left[part] < self._id_count
                and 0 <= self._part_right[part] < self._id_count
            ):
                raise ValueError(f"part {part} has a vocabulary id outside 0..{vocabulary_size}")
        self._slot = np.full(self._id_count, -1, dtype=np.int32)

    def bounds(self, names, thresholds, groups, query_weights, query_unpaired):
        """See ``Bounder.bounds`` in :mod:`raqib.matching.bounds`."""
        cdef const int64_t[::1] name_ids = np.ascontiguousarray(names, dtype=np.int64)
        cdef const double[::1] name_thresholds = np.ascontiguousarray(thresholds, dtype=np.float64)
        cdef Py_ssize_t name_count = name_ids.shape[0], query_parts = len(query_weights)
        cdef Py_ssize_t group_count = len(groups), group, index, total_ids = 0, total_parts = 0, name
        cdef int32_t vocabulary_id
        if name_thresholds.shape[0] != name_count:
            raise ValueError("one threshold per name")
        if len(query_unpaired) != query_parts:
            raise ValueError("query_weights and query_unpaired differ in length")
        for index in range(name_count):
            name = name_ids[index]
            if not 0 <= name < self._name_count:
                raise ValueError(f"name {name} out of range (the layout has {self._name_count})")
        result = np.empty(name_count, dtype=np.float64)
        if name_count == 0:
            return result
        # Everything that can fail (conversions, checks, allocations) happens before the scratch slots
        # are written, so that they are always reset.
        group_ids = []
        group_evidence = []
        group_parts = []
        cdef const int32_t[::1] ids_view
        cdef const double[::1] evidence_view
        for parts, ids, evidence in groups:
            ids = np.ascontiguousarray(ids, dtype=np.int32)
            evidence = np.ascontiguousarray(evidence, dtype=np.float64)
            ids_view = ids
            evidence_view = evidence
            if ids_view.shape[0] != evidence_view.shape[0]:
                raise ValueError("a group needs one evidence value per vocabulary id")
            for index in range(ids_view.shape[0]):
                vocabulary_id = ids_view[index]
                if not 0 <= vocabulary_id < self._id_count:
                    raise ValueError(f"vocabulary id {vocabulary_id} outside 0..{self._id_count - 1}")
            for part in parts:
                if not 0 <= part < query_parts:
                    raise ValueError(f"query part {part} out of range (the query has {query_parts})")
            group_ids.append(ids)
            group_evidence.append(evidence)
            group_parts.append(parts)
            total_ids += ids_view.shape[0]
            total_parts += len(parts)
        cdef Py_ssize_t width = group_count + 1  # a column per group, then the best of any group
        cdef double* table = <double*>_allocate(total_ids * width * sizeof(double))
        cdef int32_t* touched = <int32_t*>_allocate(total_ids * sizeof(int32_t))
        cdef Py_ssize_t* part_start = <Py_ssize_t*>_allocate((group_count + 1) * sizeof(Py_ssize_t))
        cdef Py_ssize_t* part_of = <Py_ssize_t*>_allocate(total_parts * sizeof(Py_ssize_t))
        cdef double* weights = <double*>_allocate(query_parts * sizeof(double))
        cdef double* unpaired = <double*>_allocate(query_parts * sizeof(double))
        cdef double* scratch = <double*>_allocate((group_count + query_parts + self._longest) * sizeof(double))
        cdef const int32_t** id_pointers = <const int32_t**>_allocate(group_count * sizeof(void*))
        cdef const double** evidence_pointers = <const double**>_allocate(group_count * sizeof(void*))
        cdef Py_ssize_t* id_counts = <Py_ssize_t*>_allocate(group_count * sizeof(Py_ssize_t))
        cdef double[::1] out = result
        try:
            index = 0
            for group in range(group_count):
                part_start[group] = index
                for part in group_parts[group]:
                    part_of[index] = part
                    index += 1
                ids_view = group_ids[group]
                evidence_view = group_evidence[group]
                id_counts[group] = ids_view.shape[0]
                id_pointers[group] = &ids_view[0] if ids_view.shape[0] else NULL
                evidence_pointers[group] = &evidence_view[0] if evidence_view.shape[0] else NULL
            part_start[group_count] = index
            for index in range(query_parts):
                weights[index] = query_weights[index]
                unpaired[index] = query_unpaired[index]
            # From here on no Python code runs (see the module docstring on threads).
            self._bound_names(
                name_ids, name_thresholds, out, group_count, id_pointers, evidence_pointers, id_counts,
                part_start, part_of, query_parts, weights, unpaired, table, touched, scratch,
            )
        finally:
            PyMem_Free(table)
            PyMem_Free(touched)
            PyMem_Free(part_start)
            PyMem_Free(part_of)
            PyMem_Free(weights)
            PyMem_Free(unpaired)
            PyMem_Free(scratch)
            PyMem_Free(id_pointers)
            PyMem_Free(evidence_pointers)
            PyMem_Free(id_counts)
        return result

    cdef void _bound_names(
        self,
        const int64_t[::1] name_ids,
        const double[::1] name_thresholds,
        double[::1] out,
        Py_ssize_t group_count,
        const int32_t** id_pointers,
        const double** evidence_pointers,
        const Py_ssize_t* id_counts,
        const Py_ssize_t* part_start,
        const Py_ssize_t* part_of,
        Py_ssize_t query_parts,
        const double* weights,
        const double* unpaired,
        double* table,
        int32_t* touched,
        double* scratch,
    ) noexcept nogil:
        cdef Py_ssize_t width = group_count + 1, rows = 0, group, index, position, part, start, end
        cdef Py_ssize_t single_row, right_row, left_row, row
        cdef int32_t vocabulary_id
        cdef double value, threshold, listed_best, bound
        cdef double* reached = scratch
        cdef double* query_best = scratch + group_count
        cdef double* shares = scratch + group_count + query_parts
        cdef int32_t* slot = &self._slot[0]
        # The evidence table: one row per vocabulary id any group has (its evidence in each group, then
        # the best of all groups), 0 where a group does not have the id.
        for group in range(group_count):
            for index in range(id_counts[group]):
                vocabulary_id = id_pointers[group][index]
                row = slot[vocabulary_id]
                if row < 0:
                    row = rows
                    rows += 1
                    slot[vocabulary_id] = <int32_t>row
                    touched[row] = vocabulary_id
                    for position in range(width):
                        table[row * width + position] = 0.0
                value = evidence_pointers[group][index]
                table[row * width + group] = value
                table[row * width + group_count] = _larger(table[row * width + group_count], value)
        for index in range(name_ids.shape[0]):
            threshold = name_thresholds[index]
            start = self._name_part_start[name_ids[index]]
            end = self._name_part_start[name_ids[index] + 1]
            for group in range(group_count):
                reached[group] = 0.0
            for position in range(start, end):
                single_row = slot[self._part_single[position]]
                right_row = slot[self._part_right[position]]
                left_row = slot[self._part_left[position]]
                # Listed side: this part's best evidence from any group, through itself or either pair
                # it belongs to.
                listed_best = 0.0
                if single_row >= 0:
                    listed_best = table[single_row * width + group_count]
                if right_row >= 0:
                    listed_best = _larger(listed_best, table[right_row * width + group_count])
                if left_row >= 0:
                    listed_best = _larger(listed_best, table[left_row * width + group_count])
                shares[position - start] = _larger(
                    self._part_unpaired[position] * threshold,
                    self._part_weight[position] * (listed_best - threshold),
                )
                # Query side: each group's best evidence among this name's parts and right pairs (a
                # left pair is the previous part's right pair, already counted).
                if single_row >= 0:
                    for group in range(group_count):
                        reached[group] = _larger(reached[group], table[single_row * width + group])
                if right_row >= 0:
                    for group in range(group_count):
                        reached[group] = _larger(reached[group], table[right_row * width + group])
            # np.add.reduceat's order: the first share plus the pairwise sum of the others.
            bound = shares[0] + _pairwise_sum(shares + 1, end - start - 1) if end > start else 0.0
            for part in range(query_parts):
                query_best[part] = 0.0
            for group in range(group_count):
                for position in range(part_start[group], part_start[group + 1]):
                    part = part_of[position]
                    query_best[part] = _larger(query_best[part], reached[group])
            for part in range(query_parts):
                bound += _larger(-unpaired[part] * threshold, weights[part] * (query_best[part] - threshold))
            out[index] = bound
        for row in range(rows):
            slot[touched[row]] = -1
