import json, sys
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers, processors
src, arch, vocab, minf, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
texts = []
for line in open(src, encoding='utf-8'):
    d = json.loads(line)
    for k in ('source', 'target'):
        if k in d: texts.append(d[k])
specials = {'bart': ["<s>", "<pad>", "</s>", "<unk>", "<mask>"], 't5': ["<pad>", "</s>", "<unk>"], 'gpt2': ["<|endoftext|>"]}[arch]
tok = Tokenizer(models.BPE())
tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
tok.decoder = decoders.ByteLevel()
tr = trainers.BpeTrainer(vocab_size=vocab, min_frequency=minf, special_tokens=specials,
                         initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
tok.train_from_iterator(texts, tr)
tok.save(out, pretty=True)
