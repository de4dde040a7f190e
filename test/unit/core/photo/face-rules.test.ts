import {
  FACE_GEOMETRY,
  faceFindings,
  faceSquare,
  mainFace,
  shareInside,
  turnFaces,
  type FaceBox,
} from '../../../../bot/src/core/photo/face-rules';
import { applyGuidelines, rulesNeedingApproval } from '../../../../bot/src/core/photo/photo-guidelines';
import { AppError } from '../../../../bot/src/core/errors';
import type { PhotoWarning } from '../../../../bot/src/core/photo/pipeline-ports';
import { defaultFaceRules } from '../../../../bot/src/core/settings/tenant-settings';

const face = (x: number, y: number, side: number, score = 0.9): FaceBox => ({
  x,
  y,
  width: side,
  height: side,
  score,
});
const rules = (square: { left: number; top: number; size: number }, faces: FaceBox[], automatic = false) =>
  faceFindings(faces, square, { automatic }).map((f) => f.rule);

describe('faceSquare: the automatic square around a face', () => {
  it('is 2.4 times the face, its centre at 45% of the side from the top', () => {
    const square = faceSquare(face(900, 600, 200), 3000, 4000, 96);
    expect(square.size).toBe(480);
    expect(square.left + square.size / 2).toBeCloseTo(1000, 0);
    expect((700 - square.top) / square.size).toBeCloseTo(FACE_GEOMETRY.faceCentreY, 2);
  });

  it('moves back inside the image at an edge, and is never larger than the short side', () => {
    expect(faceSquare(face(0, 0, 100), 1000, 800, 96)).toEqual({ left: 0, top: 0, size: 240 });
    expect(faceSquare(face(900, 700, 100), 1000, 800, 96)).toEqual({ left: 760, top: 560, size: 240 });
    expect(faceSquare(face(100, 100, 600), 1000, 800, 96).size).toBe(800);
  });

  it('is at least the floor the pipeline gives (no enlarging a small face)', () => {
    expect(faceSquare(face(500, 300, 50), 2000, 1500, 648).size).toBe(648);
  });
});

describe('faceFindings', () => {
  const square = { left: 0, top: 0, size: 1000 };

  it('a face of 42% of the side, a little above the middle: nothing to say', () => {
    expect(rules(square, [face(290, 240, 420)])).toEqual([]);
  });

  it('no face: no_face alone', () => {
    expect(faceFindings([], square)).toEqual([{ rule: 'no_face' }]);
  });

  it('a second face half in the square: multiple_faces, with the number of faces', () => {
    expect(faceFindings([face(290, 240, 420), face(800, 240, 400)], square)).toEqual([
      { rule: 'multiple_faces', params: { faces: 2 } },
    ]);
  });

  it('a small face far behind is background, not a second person', () => {
    expect(rules(square, [face(290, 240, 420), face(850, 100, 100)])).toEqual([]);
  });

  it('another face outside a square the user chose: fine; outside a square placed automatically: multiple_faces', () => {
    const faces = [face(290, 240, 420), face(2000, 240, 400)];
    expect(rules(square, faces)).toEqual([]);
    expect(rules(square, faces, true)).toEqual(['multiple_faces']);
  });

  it('a face the square cuts: face_cut_off with the share inside (not also not centred)', () => {
    expect(faceFindings([face(800, 300, 400)], square)).toEqual([
      { rule: 'face_cut_off', params: { visiblePercent: 50 } },
    ]);
  });

  it('a face under 20% of the side: face_too_small', () => {
    expect(faceFindings([face(450, 400, 150)], square)).toEqual([
      { rule: 'face_too_small', params: { facePercent: 15, minPercent: 20 } },
    ]);
  });

  it('a face in a corner of the square: face_not_centred', () => {
    expect(rules(square, [face(20, 20, 300)])).toEqual(['face_not_centred']);
  });

  it('the main face is the largest one', () => {
    const big = face(0, 0, 300, 0.6);
    expect(mainFace([face(10, 10, 100, 0.99), big])).toBe(big);
    expect(mainFace([])).toBeNull();
  });
});

describe('turnFaces: faces in the space of the quarter turns', () => {
  const f = face(10, 20, 30);
  it.each([
    [0, { x: 10, y: 20 }],
    [90, { x: 200 - 20 - 30, y: 10 }],
    [180, { x: 100 - 10 - 30, y: 200 - 20 - 30 }],
    [270, { x: 20, y: 100 - 10 - 30 }],
  ])('%i degrees', (rotate, at) => {
    expect(turnFaces([f], 100, 200, rotate)[0]).toMatchObject(at);
  });

  it('four quarter turns come back to the start', () => {
    let faces = [{ x: 10, y: 20, width: 30, height: 50, score: 1 }];
    let [w, h] = [100, 200];
    for (let i = 0; i < 4; i++) {
      faces = turnFaces(faces, w, h, 90);
      [w, h] = [h, w];
    }
    expect(faces[0]).toEqual({ x: 10, y: 20, width: 30, height: 50, score: 1 });
  });
});

describe('shareInside', () => {
  it('is the share of the face box inside the square', () => {
    expect(shareInside(face(0, 0, 100), { left: 50, top: 0, size: 100 })).toBeCloseTo(0.5);
    expect(shareInside(face(0, 0, 100), { left: 200, top: 0, size: 100 })).toBe(0);
  });
});

describe('applyGuidelines: what the admin chose per rule', () => {
  const warnings: PhotoWarning[] = [{ code: 'dark' }, { code: 'no_face' }];

  it('warn (the default) keeps the warning as it is', () => {
    expect(applyGuidelines(warnings, defaultFaceRules())).toEqual(warnings);
  });

  it('off drops it; other warnings stay', () => {
    expect(applyGuidelines(warnings, { ...defaultFaceRules(), no_face: 'off' })).toEqual([{ code: 'dark' }]);
  });

  it('approval marks it, and the request will need approval', () => {
    const kept = applyGuidelines(warnings, { ...defaultFaceRules(), no_face: 'approval' });
    expect(kept).toEqual([{ code: 'dark' }, { code: 'no_face', needsApproval: true }]);
    expect(rulesNeedingApproval(kept)).toEqual(['no_face']);
  });

  it('refuse throws photo.guideline with the rule and its localised message key', () => {
    const thrown = (() => {
      try {
        applyGuidelines([{ code: 'face_cut_off', params: { visiblePercent: 40 } }], {
          ...defaultFaceRules(),
          face_cut_off: 'refuse',
        });
      } catch (err) {
        return err as AppError;
      }
      throw new Error('not refused');
    })();
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown.code).toBe('photo.guideline');
    expect(thrown.status).toBe(422);
    expect(thrown.messageKey).toBe('guidelines.refused.face_cut_off');
    expect(thrown.params).toEqual({ rule: 'face_cut_off', visiblePercent: 40 });
  });

  it('a check without an answer is never refused or sent to approval, whatever the rules say', () => {
    const strict = {
      no_face: 'refuse',
      multiple_faces: 'refuse',
      face_too_small: 'approval',
      face_cut_off: 'refuse',
      face_not_centred: 'refuse',
    } as const;
    const note: PhotoWarning[] = [{ code: 'face_check_unavailable', params: { reason: 'timeout' } }];
    expect(applyGuidelines(note, strict)).toEqual(note);
    expect(rulesNeedingApproval(note)).toEqual([]);
  });
});
