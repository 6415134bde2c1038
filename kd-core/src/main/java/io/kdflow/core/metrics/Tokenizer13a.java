package io.kdflow.core.metrics;

import java.util.List;
import java.util.regex.Pattern;

/**
 * sacrebleu's default BLEU tokenizer "13a", the tokenization of WMT's {@code mteval-v13a.pl}.
 *
 * <p>Steps, in order (each is a plain replace or a left-to-right, non-overlapping regex substitution,
 * exactly as sacrebleu applies them):
 * <ol>
 *   <li>language-independent part: drop {@code <skipped>}, join hyphenated line ends ({@code "-\n"}),
 *       newlines to spaces, then unescape {@code &quot;}, {@code &amp;}, {@code &lt;}, {@code &gt;} in that
 *       order (so {@code &amp;quot;} becomes {@code &quot;}, not {@code "});</li>
 *   <li>pad with one space on each side;</li>
 *   <li>split off every ASCII symbol except apostrophe, comma, hyphen and period
 *       ({@code { | } ~ [ \ ] ^ _ `}, space to {@code &}, {@code ( ) * +}, {@code : ; < = > ? @}, {@code /});</li>
 *   <li>split off period and comma unless preceded by a digit, then unless followed by a digit;</li>
 *   <li>split off a hyphen preceded by a digit;</li>
 *   <li>split on Python whitespace.</li>
 * </ol>
 * Case is kept (sacrebleu's default is case-sensitive BLEU).
 */
final class Tokenizer13a {

    private static final Pattern SYMBOLS = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
    private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
    private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    private Tokenizer13a() {
    }

    /** The tokens of {@code line}, as sacrebleu's {@code Tokenizer13a(line).split()} gives them. */
    static List<String> tokenize(String line) {
        String text = line.replace("<skipped>", "")
                .replace("-\n", "")
                .replace("\n", " ")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">");
        text = " " + text + " ";
        text = SYMBOLS.matcher(text).replaceAll(" $1 ");
        text = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(text).replaceAll("$1 $2 ");
        text = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(text).replaceAll(" $1 $2");
        text = DASH_AFTER_DIGIT.matcher(text).replaceAll("$1 $2 ");
        return PythonStrings.split(text);
    }

    /** The tokenized line joined with single spaces, as sacrebleu's tokenizer returns it. */
    static String normalize(String line) {
        return String.join(" ", tokenize(line));
    }
}
