"""Dumps Python jieba 0.42.1's own segmentation data as the text that src/core/metrics/jiebaData.ts reads.

Run with Debian's interpreter (python3-jieba): /usr/bin/python3 scripts/jieba-data.py > out.txt
(scripts/jieba-data.mjs runs it and writes assets/jieba/jieba-0.42.1.txt.br). The content is exactly what
jieba.cut uses at run time:
- the prefix dictionary as jieba.Tokenizer.gen_pfdict builds it from dict.txt: every word with its frequency
  (a word listed twice keeps its last frequency) and the total of all lines' frequencies (duplicates counted);
- math.log of every frequency in the dictionary and of the total, as this Python computes them (V8's Math.log
  differs from glibc's in the last bit for about 1% of integers, and the last bit can decide a tie in the route);
- the HMM tables of jieba.finalseg (start, transition and emission log probabilities), floats written with repr
  so they read back to the same doubles.
Lines are tab-separated. jieba is MIT-licensed (c) 2013 Sun Junyi.
"""
import math
import sys

import jieba
import jieba.finalseg as finalseg

jieba.setLogLevel(60)
freq, total = jieba.Tokenizer.gen_pfdict(jieba.get_module_res(jieba.DEFAULT_DICT_NAME))
words = sorted((w, f) for w, f in freq.items() if f > 0)
# Words of frequency 0 in dict.txt are indistinguishable from prefixes: gen_pfdict stores both as 0.
out = sys.stdout
out.write('jieba\t%s\n' % jieba.__version__)
out.write('total\t%d\t%r\n' % (total, math.log(total)))
out.write('start\t%s\n' % '\t'.join('%s\t%r' % (s, finalseg.start_P[s]) for s in 'BEMS'))
for s in 'BEMS':
    out.write('trans\t%s\t%s\n' % (s, '\t'.join('%s\t%r' % (t, p) for t, p in sorted(finalseg.trans_P[s].items()))))
for s in 'BEMS':
    table = sorted(finalseg.emit_P[s].items())
    out.write('emit\t%s\t%d\n' % (s, len(table)))
    for ch, p in table:
        out.write('%s\t%r\n' % (ch, p))
logs = sorted(set(f for _, f in words) | {1})
out.write('logs\t%d\n' % len(logs))
for f in logs:
    out.write('%d\t%r\n' % (f, math.log(f)))
out.write('words\t%d\t%d\n' % (len(words), len(freq)))  # words, then prefixes and words (the trie's nodes)
for w, f in words:
    out.write('%s\t%d\n' % (w, f))
