# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Compiled look-ups for :mod:`raqib.matching.blocking` (what they find is documented there).

A table holds its strings one after another as symbols: one byte each when the table has at most 255
distinct code points (symbol ``i`` is the ``i``-th of them, sorted; 0 is no code point of the table),
else the code points themselves (UCS-4). Each string's deletion variants are stored as 64-bit hashes
(FNV-1a over the symbols, then a final mix) in a bucketed table: a directory of bucket starts and, per
variant, one 32-bit entry: the string it came from and, in the bits the string number leaves free (16
for 50,000 strings, 8 for 16 million), a fingerprint of the hash. A look-up turns the query into the
table's symbols, hashes its own deletion variants the same way and reads one bucket per variant; every
string found is then confirmed with the distance itself (an OSA distance with a cut-off, or the one-edit
test of the typo table), so hash and fingerprint collisions cost time, never results. The hash depends
on nothing but the strings: a table means the same in every process.

Keys a look-up compares directly (keys too long to index, small tables, long query keys) are first
tested against a letter-count bound: each key has a 64-bit signature, four bits per group of letters,
set for the group's first four occurrences. The bits one string has and the other lacks are at most the
letters it has more of, and each such letter is deleted or substituted by any alignment, so the bound
never drops a key within the cut-off (it drops ~98% of the long keys a query key of 7-10 classes
reaches).

The owners of the strings found get their best similarity through per-table position arrays, sized by
the number of owners, in which only the entries a call touches are set and reset.

Safety: the loops run without bounds checks; the arrays they read are built here and checked once.
Calls hold the GIL from their first write to the scratch arrays to their reset and run no Python code
in between, so a call is atomic for other threads; the scratch arrays are per table, and a forked
process gets its own copy (there is no module-level mutable state).
"""

cimport cython
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.unicode cimport PyUnicode_DATA, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_READ
from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t, uint64_t
from libc.string cimport memcpy, memset

import numpy as np

ctypedef fused char_t:
    uint8_t
    uint32_t


cdef enum:
    # Variants per bucket the directory is sized for: half a byte of directory per variant, and a
    # bucket's entries share a cache line.
    BUCKET_LOAD = 8
    # Patterns up to this many symbols use the bit-parallel OSA (one machine word).
    WORD_BITS = 64
    # Symbols below this have their pattern bits in a direct table; others are searched for.
    DIRECT_SYMBOLS = 256
    # Lengths whose max_distance is precomputed (longer ones compute theirs).
    DISTANCE_TABLE = 256
    # Letter groups of a signature, and occurrences counted per group.
    SIGNATURE_GROUPS = 16
    SIGNATURE_DEPTH = 4


cdef struct Pattern:
    # A query string prepared for the bit-parallel OSA: for each symbol, the positions it has.
    const uint32_t* chars
    Py_ssize_t length
    Py_ssize_t other_count
    Py_ssize_t direct_size  # symbols below it have their bits in ``direct`` (set by the caller)
    uint64_t signature
    uint64_t direct[DIRECT_SYMBOLS]
    uint32_t other_codes[WORD_BITS]
    uint64_t other_masks[WORD_BITS]


# -- hashing and deletion variants ----------------------------------------------------------------------


cdef inline uint64_t _finish(uint64_t value) noexcept nogil:
    # MurmurHash3's 64-bit finaliser: FNV-1a's high bits are weak, and the bucket comes from them.
    value ^= value >> 33
    value *= 0xFF51AFD7ED558CCDULL
    value ^= value >> 33
    value *= 0xC4CEB93FE53B4E53ULL
    value ^= value >> 33
    return value


cdef inline uint64_t _hash_without(
    const char_t* chars, Py_ssize_t length, const Py_ssize_t* deleted, Py_ssize_t deleted_count
) noexcept nogil:
    """The hash of ``chars`` with the (increasing) positions ``deleted`` left out."""
    cdef uint64_t value = 0xCBF29CE484222325ULL  # FNV-1a, one step per symbol
    cdef Py_ssize_t index, skip = 0
    for index in range(length):
        if skip < deleted_count and deleted[skip] == index:
            skip += 1
            continue
        value = (value ^ <uint64_t>chars[index]) * 0x100000001B3ULL
    return _finish(value)


cdef uint64_t _combinations(Py_ssize_t length, Py_ssize_t depth) noexcept nogil:
    """How many ways there are to delete up to ``depth`` of ``length`` positions."""
    cdef uint64_t total = 0, ways = 1
    cdef Py_ssize_t count
    for count in range(min(depth, length) + 1):
        total += ways
        ways = ways * <uint64_t>(length - count) // <uint64_t>(count + 1)
    return total


cdef Py_ssize_t _deletion_hashes(
    const char_t* chars, Py_ssize_t length, Py_ssize_t depth, uint64_t* out
) noexcept nogil:
    """Hashes of ``chars`` with every set of up to ``depth`` (at most 64) positions deleted, repeats
    included (two sets can leave the same string); ``out`` holds ``_combinations(length, depth)``."""
    cdef Py_ssize_t deleted[WORD_BITS]
    cdef Py_ssize_t count = 0, size, index
    depth = min(depth, length, <Py_ssize_t>WORD_BITS)
    for size in range(depth + 1):
        for index in range(size):
            deleted[index] = index
        while True:
            out[count] = _hash_without(chars, length, deleted, size)
            count += 1
            # The next set of ``size`` positions in lexicographic order.
            index = size - 1
            while index >= 0 and deleted[index] == length - size + index:
                index -= 1
            if index < 0:
                break
            deleted[index] += 1
            for index in range(index + 1, size):
                deleted[index] = deleted[index - 1] + 1
    return count


cdef Py_ssize_t _unique(
    uint64_t* hashes, Py_ssize_t count, uint64_t* slots, uint32_t* stamps, uint64_t slot_mask,
    uint32_t stamp,
) noexcept nogil:
    """Drops repeated hashes from ``hashes`` in place (order kept); returns how many are left.

    ``slots``/``stamps`` are an open-addressing set of ``slot_mask + 1`` entries (more than twice
    ``count``), emptied by giving each call a new ``stamp``.
    """
    cdef Py_ssize_t index, kept = 0
    cdef uint64_t value, slot
    for index in range(count):
        value = hashes[index]
        slot = value & slot_mask
        while stamps[slot] == stamp and slots[slot] != value:
            slot = (slot + 1) & slot_mask
        if stamps[slot] == stamp:
            continue
        stamps[slot] = stamp
        slots[slot] = value
        hashes[kept] = value
        kept += 1
    return kept


# -- distances -------------------------------------------------------------------------------------------


cdef void _prepare(Pattern* pattern, const uint32_t* chars, Py_ssize_t length) noexcept nogil:
    """Sets up ``pattern`` for ``chars`` (the bit tables only when ``length`` fits in a word; only the
    first ``direct_size`` entries of the direct table are used, and cleared)."""
    cdef Py_ssize_t index, other
    cdef uint32_t code
    pattern.chars = chars
    pattern.length = length
    pattern.other_count = 0
    pattern.signature = 0
    if length > WORD_BITS:
        return
    memset(pattern.direct, 0, pattern.direct_size * sizeof(uint64_t))
    for index in range(length):
        code = chars[index]
        if code < pattern.direct_size:
            pattern.direct[code] |= (<uint64_t>1) << index
            continue
        for other in range(pattern.other_count):
            if pattern.other_codes[other] == code:
                break
        else:
            other = pattern.other_count
            pattern.other_codes[other] = code
            pattern.other_masks[other] = 0
            pattern.other_count += 1
        pattern.other_masks[other] |= (<uint64_t>1) << index


cdef inline uint64_t _bits_of(const Pattern* pattern, uint32_t code) noexcept nogil:
    cdef Py_ssize_t index
    if code < pattern.direct_size:
        return pattern.direct[code]
    for index in range(pattern.other_count):
        if pattern.other_codes[index] == code:
            return pattern.other_masks[index]
    return 0


cdef Py_ssize_t _osa_words(
    const Pattern* pattern, const char_t* text, Py_ssize_t length, Py_ssize_t cutoff
) noexcept nogil:
    """OSA distance of a pattern of 1..64 symbols and ``text``, or ``cutoff + 1`` if above ``cutoff``.

    Hyyrö's bit-parallel algorithm (2003) with the transposition term, as rapidfuzz computes it. The
    last row changes by at most one per text symbol, so the loop stops once the remaining symbols
    cannot bring the distance back to ``cutoff``.
    """
    cdef Py_ssize_t size = pattern.length, index
    cdef uint64_t vp = ~(<uint64_t>0), vn = 0, d0 = 0, pm, pm_old = 0, tr, hp, hn
    cdef uint64_t last = (<uint64_t>1) << (size - 1)
    cdef Py_ssize_t distance = size
    for index in range(length):
        pm = _bits_of(pattern, text[index])
        tr = (((~d0) & pm) << 1) & pm_old
        d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr
        hp = vn | ~(d0 | vp)
        hn = d0 & vp
        distance += (hp & last) != 0
        distance -= (hn & last) != 0
        if distance - (length - 1 - index) > cutoff:
            return cutoff + 1
        hp = (hp << 1) | 1
        hn = hn << 1
        vp = hn | ~(d0 | hp)
        vn = hp & d0
        pm_old = pm
    return distance if distance <= cutoff else cutoff + 1


cdef Py_ssize_t _osa_rows(
    const uint32_t* first, Py_ssize_t first_length, const char_t* second, Py_ssize_t second_length,
    Py_ssize_t cutoff,
) except -1:
    """OSA distance by the dynamic programme (patterns too long for one word), capped at ``cutoff + 1``."""
    cdef Py_ssize_t width = second_length + 1, row, column, value
    cdef Py_ssize_t* rows = <Py_ssize_t*>PyMem_Malloc(3 * width * sizeof(Py_ssize_t))
    cdef Py_ssize_t* before
    cdef Py_ssize_t* previous
    cdef Py_ssize_t* current
    cdef Py_ssize_t* spare
    if rows == NULL:
        raise MemoryError()
    before, previous, current = rows, rows + width, rows + 2 * width
    for column in range(width):
        previous[column] = column
    for row in range(1, first_length + 1):
        current[0] = row
        for column in range(1, width):
            value = min(
                previous[column] + 1,
                current[column - 1] + 1,
                previous[column - 1] + (first[row - 1] != second[column - 1]),
            )
            if (
                row > 1
                and column > 1
                and first[row - 1] == second[column - 2]
                and first[row - 2] == second[column - 1]
            ):
                value = min(value, before[column - 2] + 1)
            current[column] = value
        spare = before
        before, previous, current = previous, current, spare
    value = previous[second_length]
    PyMem_Free(rows)
    return value if value <= cutoff else cutoff + 1


cdef inline Py_ssize_t _osa(
    const Pattern* pattern, const char_t* text, Py_ssize_t length, Py_ssize_t cutoff
) except -1:
    if pattern.length == 0 or length == 0:
        return min(pattern.length + length, cutoff + 1)
    if pattern.length <= WORD_BITS:
        return _osa_words(pattern, text, length, cutoff)
    return _osa_rows(pattern.chars, pattern.length, text, length, cutoff)


cdef inline bint _same(const uint32_t* first, const char_t* second, Py_ssize_t count) noexcept nogil:
    cdef Py_ssize_t index
    for index in range(count):
        if first[index] != second[index]:
            return False
    return True


cdef Py_ssize_t _one_edit_indel(
    const uint32_t* query, Py_ssize_t query_length, const char_t* listed, Py_ssize_t listed_length
) noexcept nogil:
    """The Indel distance of two strings at most one OSA edit apart (0, 1 or 2), else -1.

    One substitution or transposition leaves the lengths equal and the longest common subsequence one
    shorter (Indel 2); one insertion or deletion changes the length by one (Indel 1).
    """
    cdef Py_ssize_t index = 0, shorter = min(query_length, listed_length)
    while index < shorter and query[index] == listed[index]:
        index += 1
    if query_length == listed_length:
        if index == query_length:
            return 0
        if _same(query + index + 1, listed + index + 1, query_length - index - 1):
            return 2
        if (
            index + 1 < query_length
            and query[index] == listed[index + 1]
            and query[index + 1] == listed[index]
            and _same(query + index + 2, listed + index + 2, query_length - index - 2)
        ):
            return 2
        return -1
    if query_length == listed_length + 1:  # a letter more in the query
        return 1 if _same(query + index + 1, listed + index, listed_length - index) else -1
    if listed_length == query_length + 1:  # a letter more in the listed word
        return 1 if _same(query + index, listed + index + 1, query_length - index) else -1
    return -1


cdef inline bint _may_reach(
    uint64_t query, uint64_t listed, Py_ssize_t query_length, Py_ssize_t listed_length, Py_ssize_t cutoff
) noexcept nogil:
    """Whether strings with these signatures and lengths can be within ``cutoff`` OSA edits.

    Letters of the query the listed string lacks (at least the query's signature bits it does not
    have) are each deleted or substituted, and so are those the listed string has more of; the two
    counts differ by the difference in length. A transposition moves no letter in or out.
    """
    cdef Py_ssize_t missing = _popcount(query & ~listed)
    cdef Py_ssize_t extra = _popcount(listed & ~query)
    cdef Py_ssize_t longer = listed_length - query_length
    if longer >= 0:
        return max(missing + longer, extra) <= cutoff
    return max(missing, extra - longer) <= cutoff


cdef inline int _popcount(uint64_t value) noexcept nogil:
    # Portable (no popcnt instruction is assumed: wheels are built for any x86-64).
    value = value - ((value >> 1) & 0x5555555555555555ULL)
    value = (value & 0x3333333333333333ULL) + ((value >> 2) & 0x3333333333333333ULL)
    value = (value + (value >> 4)) & 0x0F0F0F0F0F0F0F0FULL
    return <int>((value * 0x0101010101010101ULL) >> 56)


cdef void _sort(int32_t* values, Py_ssize_t count, int32_t largest) noexcept:
    """Sorts non-negative ``values`` (at most ``largest``): insertion sort when few, else a radix sort by
    bytes (qsort's calls to a comparison function, or a Shell sort's mispredicted branches, were most of
    a look-up that reaches hundreds of owners)."""
    cdef Py_ssize_t index, position
    cdef Py_ssize_t counts[257]
    cdef int32_t value
    cdef int shift = 0
    cdef int32_t* source = values
    cdef int32_t* target
    cdef int32_t* spare = NULL
    if count > 48:
        spare = <int32_t*>PyMem_Malloc(count * sizeof(int32_t))
    if spare == NULL:  # few values (or no memory for the radix sort)
        for index in range(1, count):
            value = values[index]
            position = index
            while position > 0 and values[position - 1] > value:
                values[position] = values[position - 1]
                position -= 1
            values[position] = value
        return
    target = spare
    while True:
        memset(counts, 0, sizeof(counts))
        for index in range(count):
            counts[((source[index] >> shift) & 0xFF) + 1] += 1
        for index in range(256):
            counts[index + 1] += counts[index]
        for index in range(count):
            value = source[index]
            target[counts[(value >> shift) & 0xFF]] = value
            counts[(value >> shift) & 0xFF] += 1
        source, target = target, source
        shift += 8
        if shift >= 32 or (largest >> shift) == 0:
            break
    if source != values:
        memcpy(values, source, count * sizeof(int32_t))
    PyMem_Free(spare)


# -- tables ----------------------------------------------------------------------------------------------


cdef struct Layout:
    # Raw pointers into a table's arrays (kept alive by _Table.arrays), copied into a local at the start
    # of a call: the loops then keep them in registers (a byte store could otherwise alias them).
    bint narrow
    const uint8_t* bytes
    const uint32_t* codes
    const int32_t* starts
    const int32_t* owner_start
    const int32_t* owners
    const int32_t* owner_ids
    Py_ssize_t owner_count
    const uint32_t* directory
    const uint32_t* entries  # string number << fingerprint_bits | fingerprint
    uint32_t fingerprint_bits
    uint32_t fingerprint_mask
    uint64_t bucket_count
    # Scratch memory (all zero between calls).
    uint8_t* seen
    int32_t* found
    int32_t* slot
    int32_t* touched
    double* best


cdef inline Py_ssize_t _length(const Layout* table, Py_ssize_t string) noexcept nogil:
    return table.starts[string + 1] - table.starts[string]


cdef inline uint64_t _bucket(const Layout* table, uint64_t value) noexcept nogil:
    # The high half of the hash scaled to the bucket count; the fingerprint is in the low bits.
    return ((value >> 32) * table.bucket_count) >> 32


cdef inline Py_ssize_t _add(const Layout* table, int32_t string, Py_ssize_t found) noexcept nogil:
    if not table.seen[string]:
        table.seen[string] = 1
        table.found[found] = string
        found += 1
    return found


cdef inline Py_ssize_t _probe(const Layout* table, uint64_t value, Py_ssize_t found) noexcept nogil:
    """Adds the strings stored under ``value`` that are not found yet; returns the new count."""
    cdef uint64_t bucket = _bucket(table, value)
    cdef uint32_t fingerprint = <uint32_t>value & table.fingerprint_mask, entry, position
    for position in range(table.directory[bucket], table.directory[bucket + 1]):
        entry = table.entries[position]
        if (entry & table.fingerprint_mask) == fingerprint:
            found = _add(table, <int32_t>(entry >> table.fingerprint_bits), found)
    return found


cdef inline Py_ssize_t _credit(
    const Layout* table, int32_t string, double value, Py_ssize_t touched
) noexcept nogil:
    """Gives each owner of ``string`` at least ``value``; returns the new number of owners touched."""
    cdef int32_t position, owner, slot
    for position in range(table.owner_start[string], table.owner_start[string + 1]):
        owner = table.owners[position]
        slot = table.slot[owner]
        if slot == 0:
            table.touched[touched] = owner
            table.best[touched] = value
            touched += 1
            table.slot[owner] = <int32_t>touched
        elif value > table.best[slot - 1]:
            table.best[slot - 1] = value
    return touched


cdef inline void _forget(const Layout* table, Py_ssize_t found) noexcept nogil:
    cdef Py_ssize_t index
    for index in range(found):
        table.seen[table.found[index]] = 0


cdef inline void _release(const Layout* table, Py_ssize_t touched) noexcept nogil:
    cdef Py_ssize_t index
    for index in range(touched):
        table.slot[table.touched[index]] = 0


cdef tuple _collect(const Layout* table, Py_ssize_t touched):
    """The owners touched (ids, sorted) with their best values; resets their slots first (no Python
    object is made before: see the module docstring on threads)."""
    cdef Py_ssize_t index
    cdef int32_t owner
    cdef int32_t* ids = NULL
    cdef double* bests = NULL
    if touched:
        # Local owner numbers are ranks of the ids, so sorting them sorts the ids; ``best`` stays in
        # the order the owners were touched (their slots).
        _sort(table.touched, touched, <int32_t>(table.owner_count - 1))
        ids = <int32_t*>PyMem_Malloc(touched * sizeof(int32_t))
        bests = <double*>PyMem_Malloc(touched * sizeof(double))
        if ids == NULL or bests == NULL:
            PyMem_Free(ids)
            PyMem_Free(bests)
            _release(table, touched)
            raise MemoryError()
        for index in range(touched):
            owner = table.touched[index]
            ids[index] = table.owner_ids[owner]
            bests[index] = table.best[table.slot[owner] - 1]
            table.slot[owner] = 0
    cdef int32_t[::1] owner_view
    cdef double[::1] value_view
    try:
        owners = _empty(touched, _INT32)
        values = _empty(touched, _FLOAT64)
        if touched:
            owner_view = owners
            value_view = values
            memcpy(&owner_view[0], ids, touched * sizeof(int32_t))
            memcpy(&value_view[0], bests, touched * sizeof(double))
    finally:
        PyMem_Free(ids)
        PyMem_Free(bests)
    return owners, values


@cython.auto_pickle(False)  # the tables in blocking.py pickle as their entries and build a new kernel
cdef class _Table:
    """Strings, their owners, their deletion variants and the scratch memory of a look-up."""

    cdef readonly list arrays  # every numpy array held (for nbytes)
    cdef Layout _layout
    cdef Py_ssize_t _count
    cdef Py_ssize_t _longest
    cdef const uint32_t[::1] _alphabet  # narrow: the code point of symbol i + 1
    cdef uint8_t _ascii_symbols[128]  # narrow: the symbol of each ASCII code point (0: none)
    cdef Py_ssize_t _direct_size  # symbols below this have a direct entry in a query's pattern

    cdef _setup(self, list strings, owner_start, owners):
        cdef Py_ssize_t symbol
        self._count = len(strings)
        for text in strings:
            if not isinstance(text, str):
                raise TypeError(f"expected str, got {type(text).__name__}")
        joined = "".join(strings)
        if len(joined) >= 2**31:
            raise ValueError("too many characters for one table")
        lengths = np.fromiter(map(len, strings), dtype=np.int64, count=self._count)
        starts = np.zeros(self._count + 1, dtype=np.int32)
        np.cumsum(lengths, out=starts[1:])
        self._longest = int(lengths.max()) if self._count else 0
        alphabet = sorted(set(joined))
        narrow = len(alphabet) < 256
        codes = np.asarray([ord(letter) for letter in alphabet] if narrow else [], dtype=np.uint32)
        memset(self._ascii_symbols, 0, sizeof(self._ascii_symbols))
        if narrow:
            translation = {code: symbol + 1 for symbol, code in enumerate(codes.tolist())}
            for symbol in range(len(alphabet)):
                if codes[symbol] < 128:
                    self._ascii_symbols[codes[symbol]] = <uint8_t>(symbol + 1)
            symbols = np.frombuffer(joined.translate(translation).encode("latin-1"), dtype=np.uint8).copy()
            self._direct_size = len(alphabet) + 1
        else:
            symbols = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).copy()
            self._direct_size = DIRECT_SYMBOLS
        del joined
        self._alphabet = codes
        owner_start = np.ascontiguousarray(owner_start, dtype=np.int64)
        owners = np.ascontiguousarray(owners, dtype=np.int64)
        if (
            owner_start.shape[0] != self._count + 1
            or owner_start[0] != 0
            or owner_start[self._count] != owners.shape[0]
            or np.any(np.diff(owner_start) < 0)
        ):
            raise ValueError("owner_start must run from 0 to len(owners), never decreasing, one step per string")
        if owners.shape[0] >= 2**31 or (owners.shape[0] and (owners.min() < -2**31 or owners.max() >= 2**31)):
            raise ValueError("owners must fit in int32, and so must their number")
        owner_ids, local = np.unique(owners, return_inverse=True)
        owner_count = owner_ids.shape[0]
        self.arrays = [
            symbols,
            codes,
            starts,
            owner_start.astype(np.int32),
            local.astype(np.int32).reshape(-1),
            owner_ids.astype(np.int32),
            np.zeros(self._count, dtype=np.uint8),  # seen
            np.zeros(self._count, dtype=np.int32),  # found
            np.zeros(owner_count, dtype=np.int32),  # slot
            np.zeros(owner_count, dtype=np.int32),  # touched
            np.zeros(owner_count, dtype=np.float64),  # best
        ]
        self._layout.narrow = narrow
        self._layout.bytes = <const uint8_t*>_address(symbols) if narrow else NULL
        self._layout.codes = <const uint32_t*>NULL if narrow else <const uint32_t*>_address(symbols)
        self._layout.starts = <const int32_t*>_address(self.arrays[2])
        self._layout.owner_start = <const int32_t*>_address(self.arrays[3])
        self._layout.owners = <const int32_t*>_address(self.arrays[4])
        self._layout.owner_ids = <const int32_t*>_address(self.arrays[5])
        self._layout.owner_count = owner_count
        self._layout.seen = <uint8_t*>_address(self.arrays[6])
        self._layout.found = <int32_t*>_address(self.arrays[7])
        self._layout.slot = <int32_t*>_address(self.arrays[8])
        self._layout.touched = <int32_t*>_address(self.arrays[9])
        self._layout.best = <double*>_address(self.arrays[10])

    cdef inline uint32_t _symbol(self, uint32_t code) noexcept nogil:
        """The table's symbol for a query code point (0 when a narrow table has no such code point)."""
        cdef Py_ssize_t low = 0, high = self._alphabet.shape[0], middle
        if not self._layout.narrow:
            return code
        if code < 128:
            return self._ascii_symbols[code]
        while low < high:
            middle = (low + high) // 2
            if self._alphabet[middle] < code:
                low = middle + 1
            else:
                high = middle
        if low < self._alphabet.shape[0] and self._alphabet[low] == code:
            return <uint32_t>(low + 1)
        return 0

    cdef Py_ssize_t _encode(self, object texts, uint32_t** chars, Py_ssize_t** starts) except -1:
        """``texts`` (str) in the table's symbols, one after another, into a new buffer; ``starts`` gets
        where each begins (one more entry). The caller frees both with PyMem_Free."""
        cdef Py_ssize_t count = len(texts), index, offset, position = 0, total = 0
        cdef int kind
        cdef void* data
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"expected str, got {type(text).__name__}")
            total += PyUnicode_GET_LENGTH(text)
        chars[0] = <uint32_t*>PyMem_Malloc((total + 1) * sizeof(uint32_t))
        starts[0] = <Py_ssize_t*>PyMem_Malloc((count + 1) * sizeof(Py_ssize_t))
        if chars[0] == NULL or starts[0] == NULL:
            raise MemoryError()
        starts[0][0] = 0
        for index in range(count):
            text = texts[index]
            kind = PyUnicode_KIND(text)
            data = PyUnicode_DATA(text)
            for offset in range(PyUnicode_GET_LENGTH(text)):
                chars[0][position] = self._symbol(PyUnicode_READ(kind, data, offset))
                position += 1
            starts[0][index + 1] = position
        return count

    cdef void _prepare(self, Pattern* pattern, const uint32_t* chars, Py_ssize_t length) noexcept nogil:
        pattern.direct_size = self._direct_size
        _prepare(pattern, chars, length)

    cdef void _index(self, const int32_t* depths) except *:
        """Stores every string with a depth >= 0 under its deletion variants of up to that many
        deletions (each distinct variant once per string)."""
        cdef Layout* table = &self._layout
        cdef Py_ssize_t index, count, kept, variant, largest = 1
        cdef uint64_t bound = 0, combinations, slot_mask = 1, bucket, total
        for index in range(self._count):
            if depths[index] >= 0:
                if depths[index] > WORD_BITS:
                    raise ValueError("too many deletions to index")
                combinations = _combinations(_length(table, index), depths[index])
                bound += combinations
                largest = max(largest, <Py_ssize_t>combinations)
        if bound >= 2**32 or self._count >= 2**31:
            raise ValueError("too many strings or deletion variants for one table")
        while slot_mask + 1 < 2 * <uint64_t>largest:
            slot_mask = slot_mask * 2 + 1
        table.bucket_count = max(1, bound // BUCKET_LOAD)
        # A fingerprint in the bits the string numbers leave free (at least one: fewer than 2**31 strings).
        table.fingerprint_bits = 32
        while table.fingerprint_bits > 1 and (<uint64_t>self._count >> (32 - table.fingerprint_bits)) != 0:
            table.fingerprint_bits -= 1
        table.fingerprint_mask = <uint32_t>((<uint64_t>1 << table.fingerprint_bits) - 1)
        directory = np.zeros(table.bucket_count + 1, dtype=np.uint32)
        cursor = np.zeros(table.bucket_count, dtype=np.uint32)
        cdef uint32_t[::1] starts = directory
        cdef uint32_t[::1] cursors = cursor
        cdef uint64_t* hashes = <uint64_t*>PyMem_Malloc(largest * sizeof(uint64_t))
        cdef uint64_t* slots = <uint64_t*>PyMem_Malloc((slot_mask + 1) * sizeof(uint64_t))
        cdef uint32_t* stamps = <uint32_t*>PyMem_Malloc((slot_mask + 1) * sizeof(uint32_t))
        cdef uint32_t[::1] entries
        cdef uint32_t stamp = 0
        cdef int sweep
        try:
            if hashes == NULL or slots == NULL or stamps == NULL:
                raise MemoryError()
            memset(stamps, 0, (slot_mask + 1) * sizeof(uint32_t))
            # Two sweeps over the variants (making them again is cheaper than keeping them all): count
            # each bucket's entries, then place them.
            for sweep in range(2):
                if sweep == 1:
                    for bucket in range(table.bucket_count):
                        starts[bucket + 1] += starts[bucket]
                        cursors[bucket] = starts[bucket]
                    total = starts[table.bucket_count]
                    entry_array = np.empty(total, dtype=np.uint32)
                    entries = entry_array
                for index in range(self._count):
                    if depths[index] < 0:
                        continue
                    stamp += 1
                    if table.narrow:
                        count = _deletion_hashes(
                            table.bytes + table.starts[index], _length(table, index), depths[index], hashes
                        )
                    else:
                        count = _deletion_hashes(
                            table.codes + table.starts[index], _length(table, index), depths[index], hashes
                        )
                    kept = _unique(hashes, count, slots, stamps, slot_mask, stamp)
                    for variant in range(kept):
                        bucket = _bucket(table, hashes[variant])
                        if sweep == 0:
                            starts[bucket + 1] += 1
                        else:
                            entries[cursors[bucket]] = (
                                (<uint32_t>index << table.fingerprint_bits)
                                | (<uint32_t>hashes[variant] & table.fingerprint_mask)
                            )
                            cursors[bucket] += 1
        finally:
            PyMem_Free(hashes)
            PyMem_Free(slots)
            PyMem_Free(stamps)
        self.arrays += [directory, entry_array]
        table.directory = <const uint32_t*>_address(directory)
        table.entries = <const uint32_t*>_address(entry_array)

    def owner_arrays(self):
        """``(owner_start, owners)``: the owners of string ``i`` (ids, sorted) are
        ``owners[owner_start[i]:owner_start[i + 1]]``."""
        owners = self.arrays[5][self.arrays[4]]
        return self.arrays[3].astype(np.int64), owners

    @property
    def nbytes(self):
        """Bytes held in the table's arrays (strings, owners, variant index, scratch memory)."""
        return sum(array.nbytes for array in self.arrays)


cdef void* _address(array) except NULL:
    """The first byte of a contiguous numpy array (of one at least one byte long, so never NULL)."""
    cdef const uint8_t[::1] view = array.reshape(-1).view(np.uint8) if array.nbytes else _ONE_BYTE
    return <void*>&view[0]


_ONE_BYTE = np.zeros(1, dtype=np.uint8)
# Looked up once: the two result arrays of a look-up cost as much as a short look-up itself.
_empty = np.empty
_INT32 = np.dtype(np.int32)
_FLOAT64 = np.dtype(np.float64)


cdef class KeyKernel(_Table):
    """Skeleton keys searchable by OSA similarity above a floor (see ``KeyTable`` in blocking.py).

    Args:
        keys: Distinct non-empty keys.
        owner_start: Owners of key ``i`` are ``owners[owner_start[i]:owner_start[i + 1]]``.
        owners: Owner ids (int32 range), distinct per key.
        floor: Similarities must be strictly above it.
        max_indexed_length: Longer keys are compared directly instead of being indexed.
        max_query_variant_length: Longer query keys are compared with every key of a reachable length.
        direct_scan_keys: Tables with at most this many keys compare every key.
    """

    cdef double _floor
    cdef Py_ssize_t _max_indexed_length
    cdef Py_ssize_t _max_query_variant_length
    cdef bint _direct
    cdef int32_t _distances[DISTANCE_TABLE]
    cdef uint8_t _groups[DIRECT_SYMBOLS]  # the signature group of each symbol of a narrow table
    cdef const int32_t* _by_length  # key ids ordered by length
    cdef const int32_t* _length_start  # where each length begins in _by_length
    cdef const uint64_t* _signatures  # in the order of _by_length (read one after another)

    def __init__(
        self, list keys, owner_start, owners, double floor, Py_ssize_t max_indexed_length,
        Py_ssize_t max_query_variant_length, Py_ssize_t direct_scan_keys,
    ):
        cdef Py_ssize_t index, length
        cdef int32_t string
        self._floor = floor
        self._max_indexed_length = max_indexed_length
        self._max_query_variant_length = max_query_variant_length
        for length in range(DISTANCE_TABLE):
            self._distances[length] = self._compute_distance(length)
        self._setup(keys, owner_start, owners)
        cdef const Layout* table = &self._layout
        lengths = np.diff(self.arrays[2])
        if self._count and lengths.min() == 0:
            raise ValueError("keys must not be empty")
        self._direct = self._count <= direct_scan_keys
        by_length = np.argsort(lengths, kind="stable").astype(np.int32)
        length_start = np.searchsorted(lengths[by_length], np.arange(self._longest + 2)).astype(np.int32)
        self._set_groups()
        signatures = np.empty(self._count, dtype=np.uint64)
        cdef uint64_t[::1] signature_view = signatures
        cdef const int32_t[::1] order = by_length
        for index in range(self._count):
            string = order[index]
            if table.narrow:
                signature_view[index] = self._signature(table.bytes + table.starts[string], _length(table, string))
            else:
                signature_view[index] = self._signature(table.codes + table.starts[string], _length(table, string))
        self.arrays += [by_length, length_start, signatures]
        self._by_length = <const int32_t*>_address(by_length)
        self._length_start = <const int32_t*>_address(length_start)
        self._signatures = <const uint64_t*>_address(signatures)
        depths = np.full(self._count, -1, dtype=np.int32)
        cdef int32_t[::1] depth_view = depths
        if not self._direct:
            for index in range(self._count):
                length = _length(table, index)
                if length <= max_indexed_length:
                    depth_view[index] = <int32_t>self._max_distance(length)
        self._index(<const int32_t*>_address(depths))

    cdef void _set_groups(self):
        """The 15 commonest symbols get a signature group each, the others share the last."""
        cdef Py_ssize_t rank, symbol
        memset(self._groups, SIGNATURE_GROUPS - 1, sizeof(self._groups))
        if not self._layout.narrow:
            return
        counts = np.bincount(self.arrays[0], minlength=DIRECT_SYMBOLS)
        order = np.argsort(-counts, kind="stable")[: SIGNATURE_GROUPS - 1].tolist()
        for rank, symbol in enumerate(order):
            if counts[symbol]:
                self._groups[symbol] = <uint8_t>rank

    cdef inline uint64_t _signature(self, const char_t* chars, Py_ssize_t length) noexcept nogil:
        cdef uint8_t seen[SIGNATURE_GROUPS]
        cdef uint64_t signature = 0
        cdef Py_ssize_t index
        cdef uint32_t code
        cdef uint8_t group
        memset(seen, 0, sizeof(seen))
        for index in range(length):
            code = chars[index]
            # Wide tables (more than 255 code points) group the code points by their low bits.
            group = self._groups[code] if self._layout.narrow else <uint8_t>(code % SIGNATURE_GROUPS)
            if seen[group] < SIGNATURE_DEPTH:
                signature |= (<uint64_t>1) << (group * SIGNATURE_DEPTH + seen[group])
                seen[group] += 1
        return signature

    cdef int32_t _compute_distance(self, Py_ssize_t length) noexcept nogil:
        # blocking.max_distance, with the same floating-point expression.
        cdef int32_t distance = 0
        while distance < length and 1.0 - <double>(distance + 1) / <double>length > self._floor:
            distance += 1
        return distance

    cdef inline Py_ssize_t _max_distance(self, Py_ssize_t length) noexcept nogil:
        if length < DISTANCE_TABLE:
            return self._distances[length]
        return self._compute_distance(length)

    cdef inline bint _reachable(self, Py_ssize_t query_length, Py_ssize_t listed_length) noexcept nogil:
        # blocking._reachable: the length difference alone is within the cut-off.
        cdef Py_ssize_t difference = query_length - listed_length
        if difference < 0:
            return -difference <= self._max_distance(listed_length)
        return difference <= self._max_distance(query_length)

    def max_distance(self, Py_ssize_t length):
        """The largest OSA distance at which a key of ``length`` (the longer one) is above the floor."""
        return self._max_distance(length)

    def similar_many(self, keys):
        """Owners (sorted, unique, int32) of every key whose OSA similarity with one of ``keys`` (a list
        or tuple of str; empty ones are skipped) is above the floor, with the best such similarity
        (float64)."""
        cdef Layout table = self._layout
        cdef Py_ssize_t key_count, index, query, length, found = 0, touched = 0, listed
        cdef Py_ssize_t variants, largest = 1, distance, cutoff, longer
        cdef double value
        cdef int32_t string
        cdef uint32_t* chars = NULL
        cdef Py_ssize_t* starts = NULL
        cdef Pattern* patterns = NULL
        cdef uint64_t* hashes = NULL
        if not isinstance(keys, (list, tuple)):
            keys = list(keys)
        if self._count == 0 or not keys:
            return _collect(&table, 0)
        try:
            key_count = self._encode(keys, &chars, &starts)
            for query in range(key_count):
                length = starts[query + 1] - starts[query]
                if length <= self._max_query_variant_length:
                    largest = max(largest, <Py_ssize_t>_combinations(length, self._max_distance(length)))
            patterns = <Pattern*>PyMem_Malloc(key_count * sizeof(Pattern))
            hashes = <uint64_t*>PyMem_Malloc(largest * sizeof(uint64_t))
            if patterns == NULL or hashes == NULL:
                raise MemoryError()
            # From here on no Python code runs until the scratch memory is reset (module docstring).
            for query in range(key_count):
                length = starts[query + 1] - starts[query]
                self._prepare(&patterns[query], chars + starts[query], length)
                patterns[query].signature = self._signature(patterns[query].chars, length)
            # One query key at a time: a key within the floor of a query key is among that query key's
            # candidates, so comparing each candidate with the key that found it (and keeping each
            # owner's best) gives the best over all query keys.
            for query in range(key_count):
                pattern = &patterns[query]
                length = pattern.length
                if length == 0:
                    continue
                if self._direct or length > self._max_query_variant_length:
                    found = self._add_reachable(&table, pattern, 0, 0)
                else:
                    variants = _deletion_hashes(pattern.chars, length, self._max_distance(length), hashes)
                    for index in range(variants):
                        found = _probe(&table, hashes[index], found)
                    found = self._add_reachable(&table, pattern, self._max_indexed_length + 1, found)
                for index in range(found):
                    string = table.found[index]
                    table.seen[string] = 0
                    listed = _length(&table, string)
                    longer = max(length, listed)
                    cutoff = self._max_distance(longer)
                    if length - listed > cutoff or listed - length > cutoff:
                        continue
                    if table.narrow:
                        distance = _osa(pattern, table.bytes + table.starts[string], listed, cutoff)
                    else:
                        distance = _osa(pattern, table.codes + table.starts[string], listed, cutoff)
                    if distance <= cutoff:
                        # rapidfuzz's normalized similarity: 1 - distance / length of the longer.
                        value = 1.0 - <double>distance / <double>longer
                        if value > self._floor:
                            touched = _credit(&table, string, value, touched)
                found = 0
        except BaseException:  # out of memory (the scratch memory is only written once it cannot fail)
            _forget(&table, found)
            _release(&table, touched)
            raise
        finally:
            PyMem_Free(chars)
            PyMem_Free(starts)
            PyMem_Free(patterns)
            PyMem_Free(hashes)
        return _collect(&table, touched)

    cdef Py_ssize_t _add_reachable(
        self, const Layout* table, const Pattern* pattern, Py_ssize_t shortest, Py_ssize_t found
    ) noexcept nogil:
        """Adds every key of at least ``shortest`` symbols the pattern may reach (its length and its
        signature's bound within the cut-off)."""
        cdef Py_ssize_t listed, position, cutoff, length = pattern.length
        cdef const uint64_t* signatures = self._signatures
        cdef const int32_t* by_length = self._by_length
        cdef uint64_t signature = pattern.signature
        for listed in range(max(shortest, 1), self._longest + 1):
            if listed - length > self._max_distance(listed):
                break  # listed - max_distance(listed) never decreases
            if not self._reachable(length, listed):
                continue
            cutoff = self._max_distance(max(length, listed))
            for position in range(self._length_start[listed], self._length_start[listed + 1]):
                if _may_reach(signature, signatures[position], length, listed, cutoff):
                    found = _add(table, by_length[position], found)
        return found


cdef class TypoKernel(_Table):
    """Words searchable for those one OSA edit away (see ``TypoTable`` in blocking.py), valued by their
    Indel normalized similarity.

    Args:
        words: Distinct words.
        owner_start, owners: As for :class:`KeyKernel`.
        min_length: A pair counts only when the longer word has at least this many code points.
    """

    cdef Py_ssize_t _min_length

    def __init__(self, list words, owner_start, owners, Py_ssize_t min_length):
        self._min_length = min_length
        self._setup(words, owner_start, owners)
        depths = np.ones(self._count, dtype=np.int32)  # every word and its single deletions
        self._index(<const int32_t*>_address(depths))

    def similar(self, str word):
        """Owners (sorted, unique, int32) of the words one edit from ``word``, with the best Indel
        normalized similarity (float64)."""
        cdef Layout table = self._layout
        cdef Py_ssize_t length = PyUnicode_GET_LENGTH(word), index, found = 0, touched = 0, listed
        cdef Py_ssize_t variants, distance
        cdef int32_t string
        cdef uint32_t* chars = NULL
        cdef Py_ssize_t* starts = NULL
        cdef uint64_t* hashes = NULL
        if self._count == 0:
            return _collect(&table, 0)
        try:
            self._encode((word,), &chars, &starts)
            hashes = <uint64_t*>PyMem_Malloc((length + 1) * sizeof(uint64_t))
            if hashes == NULL:
                raise MemoryError()
            # From here on no Python code runs until the scratch memory is reset (module docstring).
            variants = _deletion_hashes(chars, length, 1, hashes)
            for index in range(variants):
                found = _probe(&table, hashes[index], found)
            for index in range(found):
                string = table.found[index]
                listed = _length(&table, string)
                if max(listed, length) < self._min_length:
                    continue
                if table.narrow:
                    distance = _one_edit_indel(chars, length, table.bytes + table.starts[string], listed)
                else:
                    distance = _one_edit_indel(chars, length, table.codes + table.starts[string], listed)
                if distance >= 0:
                    # rapidfuzz's Indel normalized similarity: 1 - distance / (sum of the lengths).
                    touched = _credit(&table, string, 1.0 - <double>distance / <double>(length + listed), touched)
            _forget(&table, found)
        except BaseException:
            _release(&table, touched)
            raise
        finally:
            PyMem_Free(chars)
            PyMem_Free(starts)
            PyMem_Free(hashes)
        return _collect(&table, touched)


# -- for tests -------------------------------------------------------------------------------------------


cdef object _utf32(str text):
    return np.frombuffer((text + "\0").encode("utf-32-le"), dtype=np.uint32).copy()


def osa_distance(str first, str second, Py_ssize_t cutoff):
    """The OSA distance of two strings as the kernel computes it (``cutoff + 1`` when above ``cutoff``)."""
    cdef const uint32_t[::1] query = _utf32(first)
    cdef const uint32_t[::1] text = _utf32(second)
    cdef Pattern pattern
    pattern.direct_size = DIRECT_SYMBOLS
    _prepare(&pattern, &query[0], len(first))
    return _osa(&pattern, &text[0], len(second), cutoff)


def one_edit_indel(str first, str second):
    """The Indel distance of two strings one OSA edit apart at most, else -1."""
    cdef const uint32_t[::1] query = _utf32(first)
    cdef const uint32_t[::1] text = _utf32(second)
    return _one_edit_indel(&query[0], len(first), &text[0], len(second))


def may_reach(str first, str second, Py_ssize_t cutoff):
    """Whether the letter-count bound lets two strings be within ``cutoff`` edits (grouping the code
    points as a table of more than 255 of them does)."""
    cdef KeyKernel table = KeyKernel([], np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), 0.0, 0, 0, 0)
    table._layout.narrow = False
    cdef const uint32_t[::1] query = _utf32(first)
    cdef const uint32_t[::1] text = _utf32(second)
    return _may_reach(
        table._signature(&query[0], len(first)), table._signature(&text[0], len(second)),
        len(first), len(second), cutoff,
    )


def deletion_hashes(str text, Py_ssize_t depth):
    """The distinct hashes of ``text``'s deletion variants of up to ``depth`` deletions."""
    cdef const uint32_t[::1] codes = _utf32(text)
    result = np.empty(_combinations(len(text), depth), dtype=np.uint64)
    cdef uint64_t[::1] out = result
    count = _deletion_hashes(&codes[0], len(text), depth, &out[0])
    return np.unique(result[:count])
