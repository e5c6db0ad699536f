"""Which rows `simdvae train --seed S --validation-split F` holds out, computed in Python: the same Philox4x32-10
draws (core's CounterRng) and the same Fisher-Yates shuffle (vae's Dataset.split), so that a script can place chosen
rows where the split will pick them and so fix the validation rows of several runs with different seeds.
"""
M = 0xFFFFFFFF
VALIDATION_SPLIT = 8 << 40


def _bits(seed, stream, index):
    """CounterRng.bits: the first two words of the Philox block for (index, stream) under key seed."""
    c0, c1, c2, c3 = index & M, (index >> 32) & M, stream & M, (stream >> 32) & M
    k0, k1 = seed & M, (seed >> 32) & M
    for _ in range(10):
        p0 = 0xD2511F53 * c0
        p1 = 0xCD9E8D57 * c2
        c0, c1, c2, c3 = (p1 >> 32) ^ c1 ^ k0, p1 & M, (p0 >> 32) ^ c3 ^ k1, p0 & M
        k0 = (k0 + 0x9E3779B9) & M
        k1 = (k1 + 0xBB67AE85) & M
    return c0 | (c1 << 32)


def held_out(n, fraction, seed, stream=VALIDATION_SPLIT):
    """The positions (ascending) that Dataset.split(fraction, seed, stream) holds out of n rows."""
    held = int(fraction * n + 0.5)  # Java's Math.round for a positive double
    order = list(range(n))
    seed &= 0xFFFFFFFFFFFFFFFF
    for i in range(n - 1, 0, -1):
        j = ((_bits(seed, stream, i) >> 32) * (i + 1)) >> 32
        order[i], order[j] = order[j], order[i]
    return sorted(order[:held])


def arrange(fit, validation, fraction, seed):
    """Orders rows so that a run with this seed and validation fraction holds out exactly `validation`: returns a
    list of the rows of fit + validation (any objects), or None when the counts do not match the fraction."""
    n = len(fit) + len(validation)
    positions = set(held_out(n, fraction, seed))
    if len(positions) != len(validation):
        return None
    v, f = iter(validation), iter(fit)
    return [next(v) if i in positions else next(f) for i in range(n)]
