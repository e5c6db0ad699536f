"""What the table-VAE scripts here share (vae_table.py, vae_whole_job.py): their model and run options, and the
network simdvae trains on a table: ReLU hidden layers, one head for mu and log var, a mirrored decoder and an output
layer, with Adam (lr 1e-3, eps 1e-7) over all of it. Import it from a script in this folder."""
import torch


def add_options(parser, latent, epochs):
    """The options every table script takes: --label, --hidden, --latent, --batch, --epochs, --threads."""
    parser.add_argument("--label")
    parser.add_argument("--hidden", default="64")
    parser.add_argument("--latent", type=int, default=latent)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--epochs", type=int, default=epochs)
    parser.add_argument("--threads", type=int, default=1)


def parse(parser):
    """The parsed options, with torch's threads set from --threads and its generator seeded (1)."""
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    return args


def mlp(sizes):
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    return torch.nn.Sequential(*layers)


def network(inputs, hidden, latent, outputs):
    """encoder, head (2 latent), decoder (hidden mirrored), output layer, and the Adam optimiser over them."""
    encoder = mlp([inputs] + hidden)
    head = torch.nn.Linear(hidden[-1], 2 * latent)
    decoder = mlp([latent] + hidden[::-1])
    out = torch.nn.Linear(hidden[0], outputs)
    params = [p for m in (encoder, head, decoder, out) for p in m.parameters()]
    return encoder, head, decoder, out, torch.optim.Adam(params, lr=1e-3, eps=1e-7)
