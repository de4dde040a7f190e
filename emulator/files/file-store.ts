import { randomBytes } from 'node:crypto';

/** A file uploaded through the control API, served at a pre-authenticated download URL. */
export interface StoredFile {
  id: string;
  name: string;
  contentType: string;
  bytes: Buffer;
}

/** Stand-in for the SharePoint/OneDrive files behind Teams file attachments. */
export class FileStore {
  private readonly files = new Map<string, StoredFile>();

  /** Stores bytes under a fresh unguessable id. */
  add(name: string, contentType: string, bytes: Buffer): StoredFile {
    const file: StoredFile = { id: randomBytes(12).toString('hex'), name, contentType, bytes };
    this.files.set(file.id, file);
    return file;
  }

  /** The file with this id and name, if any. */
  get(id: string, name: string): StoredFile | undefined {
    const file = this.files.get(id);
    return file !== undefined && file.name === name ? file : undefined;
  }

  /** Forgets every file. */
  clear(): void {
    this.files.clear();
  }
}
