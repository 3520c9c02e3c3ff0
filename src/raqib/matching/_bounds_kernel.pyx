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

cimport cython
from cpython.mem cimport PyMem_Calloc, PyMem_Free, PyMem_Malloc
from libc.stdint cimport int32_t, int64_t
from libc.string cimport memcpy

import numpy as np


cdef inline double _larger(double first, double second) noexcept nogil:
    # np.maximum, but for NaN (none reaches here); one maxsd, where ``>=`` compiled to four instructions.
    return first if first > second else second


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


cdef Py_ssize_t _merge(
    const int32_t* first, Py_ssize_t first_count, const int32_t* second, Py_ssize_t second_count,
    int32_t* out,
) noexcept nogil:
    """Union of two sorted unique arrays into ``out`` (sorted, unique); returns its length."""
    cdef Py_ssize_t i = 0, j = 0, k = 0
    cdef int32_t a, b
    while i < first_count and j < second_count:  # without branches: they would be mispredicted
        a = first[i]
        b = second[j]
        out[k] = a if a < b else b
        i += a <= b
        j += b <= a
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


cdef void* _allocate_zeros(Py_ssize_t count, Py_ssize_t size) except NULL:
    cdef void* memory = PyMem_Calloc(count if count > 0 else 1, size)
    if memory == NULL:
        raise MemoryError()
    return memory


cdef object _union(list arrays):
    """The sorted union of sorted unique int32 arrays (contiguous numpy arrays).

    Merged two at a time, shortest first, so that the longest array (often most of the names) is
    copied once: the cost is about that of one pass over all names.
    """
    cdef Py_ssize_t count = len(arrays), total = 0, step, length, index
    if count == 0:
        return np.zeros(0, dtype=np.int32)
    if count == 1:
        return arrays[0]
    arrays = sorted(arrays, key=len)
    cdef const int32_t[::1] view
    cdef const int32_t** pointers = <const int32_t**>_allocate(count * sizeof(void*))
    cdef Py_ssize_t* lengths = <Py_ssize_t*>_allocate(count * sizeof(Py_ssize_t))
    cdef int32_t* buffers = NULL
    cdef int32_t* target
    cdef const int32_t* merged
    try:
        for index in range(count):
            view = arrays[index]
            lengths[index] = view.shape[0]
            pointers[index] = &view[0] if view.shape[0] else NULL
            total += view.shape[0]
        result = np.empty(total, dtype=np.int32)
        view = result
        buffers = <int32_t*>_allocate(2 * total * sizeof(int32_t))
        merged, length = pointers[0], lengths[0]
        for step in range(1, count):
            if step == count - 1:
                target = <int32_t*>&view[0] if total else NULL
            else:
                target = buffers + (step % 2) * total  # never the buffer ``merged`` is in
            length = _merge(merged, length, pointers[step], lengths[step], target)
            merged = target
    finally:
        PyMem_Free(pointers)
        PyMem_Free(lengths)
        PyMem_Free(buffers)
    return result[:length]


@cython.auto_pickle(False)  # Bounder pickles its layout and builds a new Kernel
cdef class Kernel:
    """The listed side of an index (see ``ListedLayout``) and scratch memory for its two bounds.

    ``_slot`` maps each vocabulary id to its row in the call's compact evidence table (0, a row of
    zeros, when no group has it); ``_position`` maps each listed name to its place among the names
    :meth:`members` looks at, plus one (0: not among them). Only the entries a call touches are set and
    reset, so a call costs its inputs' size, never the vocabulary's or the list's.
    """

    cdef const int64_t[::1] _name_part_start
    cdef const int32_t[::1] _part_single
    cdef const int32_t[::1] _part_left
    cdef const int32_t[::1] _part_right
    cdef const double[::1] _part_weight
    cdef const double[::1] _part_unpaired
    cdef int32_t[::1] _slot
    cdef int32_t[::1] _position
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
        self._slot = np.zeros(self._id_count, dtype=np.int32)
        self._position = np.zeros(self._name_count, dtype=np.int32)

    def members(self, generating, useful, unpaired, double slack):
        """See ``Bounder.members`` in :mod:`raqib.matching.bounds`."""
        cdef Py_ssize_t part_count = len(unpaired), reached_count, entry, index, part, kept
        cdef double total
        reached = _union([np.ascontiguousarray(names, dtype=np.int32) for names in generating])
        cdef const int32_t[::1] reached_view = reached
        reached_count = reached_view.shape[0]
        self._check_names(reached_view)
        result = np.empty(reached_count, dtype=np.int32)
        if reached_count == 0:
            return result
        # As in bounds: everything that can fail happens before the scratch positions are written.
        arrays = []
        cdef const int32_t[::1] names_view
        for names, part, _ in useful:
            if not 0 <= part < part_count:
                raise ValueError(f"query part {part} out of range (the query has {part_count})")
            names = np.ascontiguousarray(names, dtype=np.int32)
            names_view = names
            self._check_names(names_view)
            arrays.append(names)
        cdef Py_ssize_t entries = len(arrays), width = reached_count + 1
        # best[part * width + 1 + i]: query part's best share for reached[i]; column 0 takes the writes
        # for names not reached (so that the loop needs no branch).
        cdef double* best = <double*>_allocate(part_count * width * sizeof(double))
        cdef const int32_t** name_pointers = <const int32_t**>_allocate(entries * sizeof(void*))
        cdef Py_ssize_t* name_counts = <Py_ssize_t*>_allocate(entries * sizeof(Py_ssize_t))
        cdef Py_ssize_t* parts = <Py_ssize_t*>_allocate(entries * sizeof(Py_ssize_t))
        cdef double* shares = <double*>_allocate(entries * sizeof(double))
        cdef int32_t[::1] result_view = result
        try:
            for part in range(part_count):
                total = unpaired[part]
                for index in range(width):
                    best[part * width + index] = total
            for entry in range(entries):
                names_view = arrays[entry]
                name_counts[entry] = names_view.shape[0]
                name_pointers[entry] = &names_view[0] if names_view.shape[0] else NULL
                _, part, total = useful[entry]
                parts[entry] = part
                shares[entry] = total
            # From here on no Python code runs (see the module docstring on threads).
            kept = self._member_bounds(
                &reached_view[0], reached_count, entries, name_pointers, name_counts, parts, shares,
                part_count, best, slack, &result_view[0],
            )
        finally:
            PyMem_Free(best)
            PyMem_Free(name_pointers)
            PyMem_Free(name_counts)
            PyMem_Free(parts)
            PyMem_Free(shares)
        return result[:kept]

    cdef Py_ssize_t _member_bounds(
        self,
        const int32_t* reached,
        Py_ssize_t reached_count,
        Py_ssize_t entries,
        const int32_t** name_pointers,
        const Py_ssize_t* name_counts,
        const Py_ssize_t* parts,
        const double* shares,
        Py_ssize_t part_count,
        double* best,
        double slack,
        int32_t* result,
    ) noexcept nogil:
        cdef Py_ssize_t width = reached_count + 1, index, entry, part, kept = 0
        cdef double share, total
        cdef double* row
        cdef const int32_t* names
        cdef int32_t* position = &self._position[0]
        for index in range(reached_count):
            position[reached[index]] = <int32_t>(index + 1)
        for entry in range(entries):
            row = best + parts[entry] * width
            share = shares[entry]
            names = name_pointers[entry]
            for index in range(name_counts[entry]):
                row[position[names[index]]] = _larger(row[position[names[index]]], share)
        for index in range(reached_count):
            position[reached[index]] = 0
        for index in range(reached_count):
            total = best[index + 1] if part_count else 0.0
            for part in range(1, part_count):
                total += best[part * width + index + 1]
            if total >= -slack:
                result[kept] = reached[index]
                kept += 1
        return kept

    cdef void _check_names(self, const int32_t[::1] names) except *:
        cdef Py_ssize_t index
        for index in range(names.shape[0]):
            if not 0 <= names[index] < self._name_count:
                raise ValueError(f"name {names[index]} out of range (the layout has {self._name_count})")

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
        cdef double* table = <double*>_allocate_zeros((total_ids + 1) * width, sizeof(double))
        cdef int32_t* touched = <int32_t*>_allocate((total_ids + 1) * sizeof(int32_t))
        cdef Py_ssize_t* offsets = <Py_ssize_t*>_allocate(2 * self._longest * sizeof(Py_ssize_t))
        cdef Py_ssize_t* part_start = <Py_ssize_t*>_allocate((group_count + 1) * sizeof(Py_ssize_t))
        cdef Py_ssize_t* part_of = <Py_ssize_t*>_allocate(total_parts * sizeof(Py_ssize_t))
        cdef double* weights = <double*>_allocate(query_parts * sizeof(double))
        cdef double* unpaired = <double*>_allocate(query_parts * sizeof(double))
        cdef double* scratch = <double*>_allocate((query_parts + self._longest) * sizeof(double))
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
                part_start, part_of, query_parts, weights, unpaired, table, touched, scratch, offsets,
            )
        finally:
            PyMem_Free(table)
            PyMem_Free(touched)
            PyMem_Free(offsets)
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
        Py_ssize_t* offsets,
    ) noexcept nogil:
        cdef Py_ssize_t width = group_count + 1, rows = 1, group, index, position, part, start, count
        cdef Py_ssize_t row, single, right, left
        cdef int32_t vocabulary_id
        cdef double value, threshold, listed_best, bound, reached
        cdef double* query_best = scratch
        cdef double* shares = scratch + query_parts
        cdef Py_ssize_t* single_offset = offsets
        cdef Py_ssize_t* right_offset = offsets + self._longest
        cdef int32_t* slot = &self._slot[0]
        # The evidence table: a row per vocabulary id any group has (its evidence in each group, then the
        # best of all groups), 0 where a group does not have the id. Row 0 stays all zeros: it is the row
        # of every id no group has, so that the loops below need no branches.
        for group in range(group_count):
            for index in range(id_counts[group]):
                vocabulary_id = id_pointers[group][index]
                row = slot[vocabulary_id]
                if row == 0:  # a new row (the table starts zeroed: zeroing row by row here stalled
                    row = rows  # the read of the row's last column just below)
                    rows += 1
                    slot[vocabulary_id] = <int32_t>row
                    touched[row] = vocabulary_id
                value = evidence_pointers[group][index]
                table[row * width + group] = value
                table[row * width + group_count] = _larger(table[row * width + group_count], value)
        for index in range(name_ids.shape[0]):
            threshold = name_thresholds[index]
            start = self._name_part_start[name_ids[index]]
            count = self._name_part_start[name_ids[index] + 1] - start
            for position in range(count):
                single = slot[self._part_single[start + position]] * width
                right = slot[self._part_right[start + position]] * width
                left = slot[self._part_left[start + position]] * width
                single_offset[position] = single
                right_offset[position] = right
                # Listed side: this part's best evidence from any group, through itself or either pair
                # it belongs to.
                listed_best = _larger(
                    _larger(table[single + group_count], table[right + group_count]),
                    table[left + group_count],
                )
                shares[position] = _larger(
                    self._part_unpaired[start + position] * threshold,
                    self._part_weight[start + position] * (listed_best - threshold),
                )
            # np.add.reduceat's order: the first share plus the pairwise sum of the others.
            bound = shares[0] + _pairwise_sum(shares + 1, count - 1) if count else 0.0
            # Query side: each group's best evidence among the name's parts and right pairs (a left pair
            # is the previous part's right pair, already counted), for each query part in the group.
            for part in range(query_parts):
                query_best[part] = 0.0
            for group in range(group_count):
                reached = 0.0
                for position in range(count):
                    value = table[single_offset[position] + group]
                    reached = _larger(reached, _larger(value, table[right_offset[position] + group]))
                for position in range(part_start[group], part_start[group + 1]):
                    part = part_of[position]
                    query_best[part] = _larger(query_best[part], reached)
            for part in range(query_parts):
                bound += _larger(-unpaired[part] * threshold, weights[part] * (query_best[part] - threshold))
            out[index] = bound
        for row in range(1, rows):
            slot[touched[row]] = 0
