/* The per-character loops of normalize.py (and match.py's sentence and paragraph ends), in C.
 *
 * Normalization reads every character of every document; in Python each pass over a text is a
 * regex scan or a str method (a 10 MB corpus took 60 ms). These functions do the same work in
 * one pass each. normalize.py and match.py hold the definitions and the same work in Python, used
 * where this module could not be built; tests/test_normalize.py and tests/test_match.py check
 * both against the definition. Nothing here knows Unicode beyond what normalize.py gives it:
 * the fold table is computed there, whitespace is Python's str.isspace(), Han is normalize.HAN.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

/* Table entries: 0 for a character folding leaves alone (none folds to NUL), FOLD_ALONE for one
 * that is not folded to one other character (the caller folds it), else the folded character. */
#define UNCHANGED 0u
#define FOLD_ALONE 0xFFFFFFFFu
#define BMP 0x10000

/* normalize.HAN: U+3007, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+20000-3134F. */
static inline int
is_han(Py_UCS4 c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || c == 0x3007
           || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

/* str.isspace(): no character above U+3000 is whitespace (normalize.WHITESPACE, which
 * tests/test_normalize.py checks against all of Unicode), so Han text needs no table lookup. */
static inline int
is_space(Py_UCS4 c)
{
    return c <= 0x3000 && Py_UNICODE_ISSPACE(c);
}

/* What c folds to by the table: itself, another character, or FOLD_ALONE (astral ones too). */
static inline Py_UCS4
folded_or_alone(const uint32_t *table, Py_UCS4 c)
{
    if (c >= BMP)
        return FOLD_ALONE;
    Py_UCS4 folded = table[c];
    return folded == UNCHANGED ? c : folded;
}

/* The loops below run once per kind of str (1, 2 or 4 bytes a character), so that reading a
 * character is an array access: BODY sees CHARS, the text's characters as an array. */
#define FOR_KIND(kind, data, BODY)                                                             \
    switch (kind) {                                                                            \
    case PyUnicode_1BYTE_KIND: { const Py_UCS1 *CHARS = (const Py_UCS1 *)(data); BODY break; } \
    case PyUnicode_2BYTE_KIND: { const Py_UCS2 *CHARS = (const Py_UCS2 *)(data); BODY break; } \
    default: { const Py_UCS4 *CHARS = (const Py_UCS4 *)(data); BODY break; }                   \
    }

/* A str argument's characters: its length, kind and data; -1 (TypeError raised) for another type. */
typedef struct {
    Py_ssize_t length;
    int kind;
    const void *data;
} Text;

static int
text_of(PyObject *object, const char *signature, Text *text)
{
    if (!PyUnicode_Check(object)) {
        PyErr_Format(PyExc_TypeError, "%s: text must be a str", signature);
        return -1;
    }
    if (PyUnicode_READY(object) < 0)
        return -1;
    text->length = PyUnicode_GET_LENGTH(object);
    text->kind = PyUnicode_KIND(object);
    text->data = PyUnicode_DATA(object);
    return 0;
}

static int
append_position(PyObject *list, Py_ssize_t position)
{
    PyObject *number = PyLong_FromSsize_t(position);
    if (number == NULL)
        return -1;
    int failed = PyList_Append(list, number);
    Py_DECREF(number);
    return failed;
}

PyDoc_STRVAR(fold_one_to_one_doc,
"fold_one_to_one(text, table, /) -> (str, list[int])\n\n"
"Each BMP character c of text replaced by table[c] (a bytes object of 65,536 native uint32: 0\n"
"where c stays, 0xFFFFFFFF where c is not folded to one character); the positions of those\n"
"characters and of every astral character, left as they are for the caller to fold. text itself\n"
"when nothing changes.");

static PyObject *
fold_one_to_one(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Text text;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "fold_one_to_one(text, table) takes 2 arguments");
        return NULL;
    }
    if (text_of(args[0], "fold_one_to_one(text, table)", &text) < 0)
        return NULL;
    if (!PyBytes_Check(args[1]) || PyBytes_GET_SIZE(args[1]) != BMP * (Py_ssize_t)sizeof(uint32_t)) {
        PyErr_SetString(PyExc_ValueError, "the fold table must be bytes of 65,536 uint32 entries");
        return NULL;
    }
    const uint32_t *table = (const uint32_t *)PyBytes_AS_STRING(args[1]);
    Py_ssize_t length = text.length;

    PyObject *alone = PyList_New(0);
    if (alone == NULL)
        return NULL;
    /* First pass: does anything change, and how wide must the result's characters be? */
    Py_UCS4 widest = 0;
    int changed = 0;
    FOR_KIND(text.kind, text.data,
        for (Py_ssize_t i = 0; i < length; i++) {
            Py_UCS4 c = CHARS[i];
            Py_UCS4 folded = folded_or_alone(table, c);
            if (folded == FOLD_ALONE) {
                if (append_position(alone, i) < 0)
                    goto error;
                folded = c;
            }
            else if (folded != c) {
                changed = 1;
            }
            if (folded > widest)
                widest = folded;
        })
    PyObject *result;
    if (!changed) {
        result = Py_NewRef(args[0]);
    }
    else {
        result = PyUnicode_New(length, widest);
        if (result == NULL)
            goto error;
        int result_kind = PyUnicode_KIND(result);
        void *result_data = PyUnicode_DATA(result);
        FOR_KIND(text.kind, text.data,
            for (Py_ssize_t i = 0; i < length; i++) {
                Py_UCS4 c = CHARS[i];
                Py_UCS4 folded = folded_or_alone(table, c);
                PyUnicode_WRITE(result_kind, result_data, i, folded == FOLD_ALONE ? c : folded);
            })
    }
    PyObject *pair = PyTuple_Pack(2, result, alone);
    Py_DECREF(result);
    Py_DECREF(alone);
    return pair;
error:
    Py_DECREF(alone);
    return NULL;
}

PyDoc_STRVAR(han_gaps_doc,
"han_gaps(text, /) -> list[tuple[int, int]]\n\n"
"The (start, end) of each run of whitespace (str.isspace) with a Han character on either side.");

static PyObject *
han_gaps(PyObject *module, PyObject *object)
{
    Text text;
    if (text_of(object, "han_gaps(text)", &text) < 0)
        return NULL;
    Py_ssize_t length = text.length;
    PyObject *gaps = PyList_New(0);
    if (gaps == NULL)
        return NULL;
    FOR_KIND(text.kind, text.data,
        Py_ssize_t i = 0;
        while (i < length) {
            if (!is_space(CHARS[i])) {
                i++;
                continue;
            }
            Py_ssize_t start = i;
            while (i < length && is_space(CHARS[i]))
                i++;
            if (start > 0 && i < length && is_han(CHARS[start - 1]) && is_han(CHARS[i])) {
                PyObject *gap = Py_BuildValue("(nn)", start, i);
                if (gap == NULL || PyList_Append(gaps, gap) < 0) {
                    Py_XDECREF(gap);
                    Py_DECREF(gaps);
                    return NULL;
                }
                Py_DECREF(gap);
            }
        })
    return gaps;
}

PyDoc_STRVAR(non_space_length_doc,
"non_space_length(text, /) -> int\n\n"
"The characters of text that are not whitespace (str.isspace).");

static PyObject *
non_space_length(PyObject *module, PyObject *object)
{
    Text text;
    if (text_of(object, "non_space_length(text)", &text) < 0)
        return NULL;
    Py_ssize_t length = text.length;
    Py_ssize_t spaces = 0;
    FOR_KIND(text.kind, text.data,
        for (Py_ssize_t i = 0; i < length; i++)
            spaces += is_space(CHARS[i]);)
    return PyLong_FromSsize_t(length - spaces);
}

/* match.py's sentence ends: 。！？；!?; and the closing quotes and brackets ”’」』）) after them. */
static inline int
is_sentence_final(Py_UCS4 c)
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF1B || c == '!' || c == '?' || c == ';';
}

static inline int
is_closing_mark(Py_UCS4 c)
{
    return c == 0x201D || c == 0x2019 || c == 0x300D || c == 0x300F || c == 0xFF09 || c == ')';
}

PyDoc_STRVAR(sentence_ends_doc,
"sentence_ends(text, /) -> list[int]\n\n"
"Where each match of match._SENTENCE_END ([。！？；!?;]+[”’」』）)]*\\s*) ends, leftmost first and\n"
"not overlapping, as re.finditer finds them (the three classes share no character).");

static PyObject *
sentence_ends(PyObject *module, PyObject *object)
{
    Text text;
    if (text_of(object, "sentence_ends(text)", &text) < 0)
        return NULL;
    Py_ssize_t length = text.length;
    PyObject *ends = PyList_New(0);
    if (ends == NULL)
        return NULL;
    FOR_KIND(text.kind, text.data,
        Py_ssize_t i = 0;
        while (i < length) {
            if (!is_sentence_final(CHARS[i])) {
                i++;
                continue;
            }
            while (i < length && is_sentence_final(CHARS[i]))
                i++;
            while (i < length && is_closing_mark(CHARS[i]))
                i++;
            while (i < length && is_space(CHARS[i]))
                i++;
            if (append_position(ends, i) < 0) {
                Py_DECREF(ends);
                return NULL;
            }
        })
    return ends;
}

/* match._FINAL: the marks after which a line end ends a paragraph. */
static inline int
is_paragraph_final(Py_UCS4 c)
{
    switch (c) {
    case 0x3002: case 0xFF01: case 0xFF1F: case 0xFF1B: case '!': case '?': case ';': case '.':
    case 0x2026: case 0x201D: case 0x2019: case 0x300D: case 0x300F: case 0xFF09: case ')':
    case 0x3011: case ']': case '"': case '\'':
        return 1;
    default:
        return 0;
    }
}

PyDoc_STRVAR(final_line_ends_doc,
"final_line_ends(text, /) -> list[int]\n\n"
"Where each match of match._LINE_END_AFTER_FINAL (a mark of _FINAL, spaces, a line end, then any\n"
"whitespace) ends, leftmost first and not overlapping, as re.finditer finds them.");

static PyObject *
final_line_ends(PyObject *module, PyObject *object)
{
    Text text;
    if (text_of(object, "final_line_ends(text)", &text) < 0)
        return NULL;
    Py_ssize_t length = text.length;
    PyObject *ends = PyList_New(0);
    if (ends == NULL)
        return NULL;
    FOR_KIND(text.kind, text.data,
        Py_ssize_t i = 0;
        while (i < length) {
            if (!is_paragraph_final(CHARS[i])) {
                i++;
                continue;
            }
            Py_ssize_t j = i + 1;
            while (j < length && CHARS[j] != '\n' && is_space(CHARS[j]))
                j++;
            if (j == length || CHARS[j] != '\n') {
                i++;  /* no line end after the mark's spaces: the next mark may start a match */
                continue;
            }
            j++;
            while (j < length && is_space(CHARS[j]))
                j++;
            if (append_position(ends, j) < 0) {
                Py_DECREF(ends);
                return NULL;
            }
            i = j;
        })
    return ends;
}

static PyMethodDef methods[] = {
    {"fold_one_to_one", (PyCFunction)(void (*)(void))fold_one_to_one, METH_FASTCALL, fold_one_to_one_doc},
    {"han_gaps", han_gaps, METH_O, han_gaps_doc},
    {"non_space_length", non_space_length, METH_O, non_space_length_doc},
    {"sentence_ends", sentence_ends, METH_O, sentence_ends_doc},
    {"final_line_ends", final_line_ends, METH_O, final_line_ends_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT,
    .m_name = "policyterms._speedups",
    .m_doc = "normalize.py's per-character loops (and match.py's sentence and paragraph ends) in C.",
    .m_size = 0,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    return PyModule_Create(&module_definition);
}
