/** The upload page's own texts, in the four languages the product speaks. */
export type PageLocale = 'en' | 'fi' | 'nl' | 'pl';

export interface PageStrings {
  title: string;
  intro: string;
  choose: string;
  upload: string;
  uploading: string;
  noTicket: string;
  failed: string;
  previewAlt: string;
  /** The chosen file's name, shown in the drop zone. */
  chosen: string;
  /** A file whose bytes are no photo (checked before upload, as the service checks them). */
  notImage: string;
  /** What the drop zone accepts. */
  formats: string;
}

export const STRINGS: Record<PageLocale, PageStrings> = {
  en: {
    title: 'Upload a new profile photo',
    intro: 'Choose a photo. You will see a preview here and in your chat with Headshot before anything changes.',
    choose: 'Choose a photo or drag it here',
    upload: 'Upload',
    uploading: 'Uploading and checking your photo…',
    noTicket: 'This link is incomplete. Open the upload page again from your chat with Headshot.',
    failed: 'The upload failed. Check your connection and try again.',
    previewAlt: 'Preview of your new profile photo',
    chosen: 'Chosen: {{name}}',
    notImage: '{{name}} is not a photo. Choose a JPEG, PNG, WebP, GIF, TIFF, AVIF or HEIC file.',
    formats: 'JPEG, PNG, WebP, GIF, TIFF, AVIF or HEIC',
  },
  fi: {
    title: 'Lataa uusi profiilikuva',
    intro: 'Valitse kuva. Näet esikatselun täällä ja Headshot-keskustelussa ennen kuin mitään muutetaan.',
    choose: 'Valitse kuva tai vedä se tähän',
    upload: 'Lataa',
    uploading: 'Ladataan ja tarkistetaan kuvaa…',
    noTicket: 'Linkki on puutteellinen. Avaa lataussivu uudelleen Headshot-keskustelusta.',
    failed: 'Lataus epäonnistui. Tarkista yhteys ja yritä uudelleen.',
    previewAlt: 'Uuden profiilikuvasi esikatselu',
    chosen: 'Valittu: {{name}}',
    notImage: '{{name}} ei ole kuva. Valitse JPEG-, PNG-, WebP-, GIF-, TIFF-, AVIF- tai HEIC-tiedosto.',
    formats: 'JPEG, PNG, WebP, GIF, TIFF, AVIF tai HEIC',
  },
  nl: {
    title: 'Een nieuwe profielfoto uploaden',
    intro: 'Kies een foto. Je ziet hier en in je chat met Headshot een voorbeeld voordat er iets verandert.',
    choose: 'Kies een foto of sleep deze hierheen',
    upload: 'Uploaden',
    uploading: 'Je foto wordt geüpload en gecontroleerd…',
    noTicket: 'Deze koppeling is onvolledig. Open de uploadpagina opnieuw vanuit je chat met Headshot.',
    failed: 'Het uploaden is mislukt. Controleer je verbinding en probeer het opnieuw.',
    previewAlt: 'Voorbeeld van je nieuwe profielfoto',
    chosen: 'Gekozen: {{name}}',
    notImage: '{{name}} is geen foto. Kies een JPEG-, PNG-, WebP-, GIF-, TIFF-, AVIF- of HEIC-bestand.',
    formats: 'JPEG, PNG, WebP, GIF, TIFF, AVIF of HEIC',
  },
  pl: {
    title: 'Prześlij nowe zdjęcie profilowe',
    intro: 'Wybierz zdjęcie. Zanim cokolwiek się zmieni, zobaczysz podgląd tutaj i w czacie z Headshot.',
    choose: 'Wybierz zdjęcie lub przeciągnij je tutaj',
    upload: 'Prześlij',
    uploading: 'Przesyłanie i sprawdzanie zdjęcia…',
    noTicket: 'Ten link jest niekompletny. Otwórz stronę przesyłania ponownie z czatu z Headshot.',
    failed: 'Przesyłanie nie powiodło się. Sprawdź połączenie i spróbuj ponownie.',
    previewAlt: 'Podgląd nowego zdjęcia profilowego',
    chosen: 'Wybrano: {{name}}',
    notImage: '{{name}} nie jest zdjęciem. Wybierz plik JPEG, PNG, WebP, GIF, TIFF, AVIF lub HEIC.',
    formats: 'JPEG, PNG, WebP, GIF, TIFF, AVIF lub HEIC',
  },
};
