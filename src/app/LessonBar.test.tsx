import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { decodeLesson, emptyStep } from '../core/lesson';
import { LessonBar, LessonText } from './LessonBar';

describe('LessonText', () => {
  it('renders the Markdown subset as elements of its own', () => {
    const html = renderToStaticMarkup(<LessonText text={'**bold** *it* `c`\n\n- one\n- two'} />);
    expect(html).toBe('<div class="lesson-text"><p><strong>bold</strong><span> </span><em>it</em><span> </span><code>c</code></p><ul><li><span>one</span></li><li><span>two</span></li></ul></div>');
  });

  it('shows HTML in the text as the characters it is', () => {
    const html = renderToStaticMarkup(<LessonText text={'<img src=x onerror="alert(1)"> **<script>x</script>**'} />);
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).toContain('<strong>&lt;script&gt;x&lt;/script&gt;</strong>');
  });
});

describe('LessonBar', () => {
  it('shows the title, step k of n and the step’s text, with Previous disabled on step 1', () => {
    const lesson = decodeLesson('margins').lesson;
    if (!lesson) throw new Error('margins is a built-in lesson');
    const html = renderToStaticMarkup(<LessonBar lesson={lesson} index={0} onPrevious={() => {}} onNext={() => {}} />);
    expect(html).toContain('Step 1 of 5');
    expect(html).toContain('SphereFace');
    expect(html).toMatch(/<button[^>]*data-testid="lesson-prev"[^>]*disabled=""/);
    expect(html).not.toContain('lesson-editor-open');
  });

  it('disables Next on the last step and offers the editor when asked to', () => {
    const lesson = {
      title: 'T',
      steps: [
        { ...emptyStep(), text: 'a' },
        { ...emptyStep(), text: 'b' },
      ],
    };
    const html = renderToStaticMarkup(<LessonBar lesson={lesson} index={1} onPrevious={() => {}} onNext={() => {}} onEdit={() => {}} />);
    expect(html).toContain('Step 2 of 2');
    expect(html).toMatch(/<button[^>]*data-testid="lesson-next"[^>]*disabled=""/);
    expect(html).toContain('data-testid="lesson-editor-open"');
  });
});
