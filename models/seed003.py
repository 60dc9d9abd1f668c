"""Seed 003's initial weights: the 13 float32 numbers its script starts from.

The script (seeds/003) begins

    torch.manual_seed(99)
    w1 = torch.randn([4, 1]); b1 = torch.randn([4, 1])
    w2 = torch.randn([1, 4]); b2 = torch.randn([1, 1])

These are those tensors' values, obtained by running exactly that with torch
2.13.0 (CPU) and printed with repr(float(v)): each decimal below is the float32
value itself, so it converts to float64 and back to float32 unchanged. Re-check:

    torch.manual_seed(99)
    print([repr(float(v)) for n in ([4, 1], [4, 1], [1, 4], [1, 1]) for v in torch.randn(n).flatten()])

For tensors of fewer than 16 elements torch's CPU randn draws each value from
its mt19937 generator by Box–Muller in double precision (keeping the second
value of each pair for the next draw), so the numbers do not depend on the
machine. tests/test_network.py re-derives them that way, without torch.

The seed's script then trains with momentum (η = 0.01, μ = d = 0.9) and stops
at step 7837, loss 0.0049998 (float32); models.mlp.SEED_003 stacks these as θ.
"""

W1 = (0.6126858592033386, -1.1753536462783813, -0.7646492719650269, -0.6665656566619873)
B1 = (0.7443659901618958, -0.6453173756599426, -1.3890278339385986, -0.2729676067829132)
W2 = (0.940598726272583, -2.6176693439483643, -0.9511449337005615, -0.21964849531650543)
B2 = 0.1677340716123581
