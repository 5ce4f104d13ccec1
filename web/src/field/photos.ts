// Up to four photos from the camera, shrunk on the phone before they go anywhere: the original never leaves it.
// EXIF orientation is applied while decoding, so a photo taken upright arrives upright (the server strips metadata).
import { html, nothing, type TemplateResult } from 'lit-html';
import type { OutboxPhoto } from './outboxRules';
import { maxPhotos } from './report';
import { jpegQuality, longSidePx, previewLongSidePx, shrunkSize } from './photoSize';
import { t } from './messages';

function canvasWith(bitmap: ImageBitmap, size: { width: number; height: number }): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas');
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, size.width, size.height);
  return canvas;
}

function jpeg(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('JPEG encoding failed'))), 'image/jpeg', quality),
  );
}

/** The photo as it is sent: JPEG, long side at most 1,600 px, with a small preview. */
export async function shrinkPhoto(file: Blob): Promise<OutboxPhoto> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const size = shrunkSize(bitmap.width, bitmap.height, longSidePx);
    const blob = await jpeg(canvasWith(bitmap, size), jpegQuality);
    const preview = canvasWith(bitmap, shrunkSize(bitmap.width, bitmap.height, previewLongSidePx)).toDataURL('image/jpeg', 0.7);
    return { bytes: await blob.arrayBuffer(), type: 'image/jpeg', width: size.width, height: size.height, preview };
  } finally {
    bitmap.close();
  }
}

export class PhotoPicker {
  photos: OutboxPhoto[] = [];
  /** Photos being shrunk now. */
  processing = 0;
  private notice = '';

  constructor(private readonly changed: () => void) {}

  set(photos: OutboxPhoto[]): void {
    this.photos = [...photos];
    this.notice = '';
    this.changed();
  }

  private async add(files: File[]): Promise<void> {
    const room = maxPhotos - this.photos.length - this.processing;
    const taken = files.slice(0, Math.max(0, room));
    const notices: string[] = files.length > taken.length ? [t('photos.tooMany', { n: files.length - taken.length })] : [];
    this.processing += taken.length;
    this.notice = notices.join(' ');
    this.changed();
    for (const file of taken) {
      try {
        this.photos = [...this.photos, await shrinkPhoto(file)];
      } catch (error) {
        console.warn('photo could not be read', file.name, error);
        notices.push(t('photos.unreadable', { name: file.name }));
      } finally {
        this.processing--;
        this.notice = notices.join(' ');
        this.changed();
      }
    }
  }

  private remove(index: number): void {
    this.photos = this.photos.filter((_, i) => i !== index);
    this.notice = '';
    this.changed();
  }

  template(errorText: string | null): TemplateResult {
    const full = this.photos.length + this.processing >= maxPhotos;
    return html`<fieldset class="photos" id="photos-field" data-photo-count=${this.photos.length} data-processing=${this.processing}>
      <legend>${t('photosLabel')} <span class="photo-count">${t('photos.count', { n: this.photos.length })}</span></legend>
      ${this.photos.length > 0
        ? html`<ul class="photo-previews">
            ${this.photos.map(
              (photo, i) => html`<li>
                <img src=${photo.preview} alt=${t('photos.alt', { n: i + 1 })} />
                <button type="button" class="photo-remove" aria-label=${t('photos.remove', { n: i + 1 })} @click=${() => this.remove(i)}>×</button>
              </li>`,
            )}
          </ul>`
        : nothing}
      <label class="photo-add" ?hidden=${full}>
        <span aria-hidden="true">＋</span> ${t('photos.add')}
        <input
          type="file"
          name="photos"
          accept="image/*"
          capture="environment"
          multiple
          class="visually-hidden"
          @change=${(event: Event) => {
            const input = event.currentTarget as HTMLInputElement;
            const files = [...(input.files ?? [])];
            input.value = ''; // the same photo can be picked again after removing it
            void this.add(files);
          }}
        />
      </label>
      <p class="photo-status" role="status">${this.processing > 0 ? t('photos.processing') : this.notice}</p>
      ${errorText ? html`<p class="field-error">${errorText}</p>` : nothing}
    </fieldset>`;
  }
}
